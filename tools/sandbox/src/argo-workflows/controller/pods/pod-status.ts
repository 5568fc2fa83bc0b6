import { randomBytes } from 'node:crypto';
import { kubeTime } from '../../../core/sim-clock';
import { EXECUTOR_IMAGE } from './pod-manifest';

/** How the main container ended, as the pod status will say. */
export interface Outcome {
  exitCode: number;
  reason: string;
  /** The container's termination message. */
  message?: string;
  /** A pod-level failure (kubelet could not start it, outputs could not be saved). */
  podMessage?: string;
  podReason?: string;
  /** JSON of the node outputs, for the outputs annotation. */
  outputs?: string;
}

type Status = Record<string, unknown>;

function condition(type: string, status: string, reason?: string): Record<string, unknown> {
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: kubeTime(new Date()),
    ...(reason !== undefined ? { reason } : {}),
  };
}

function conditions(ready: 'True' | 'False' | 'Completed'): Array<Record<string, unknown>> {
  const done = ready === 'Completed';
  const flag = ready === 'True' ? 'True' : 'False';
  return [
    condition('PodScheduled', 'True'),
    condition('Initialized', 'True'),
    condition('ContainersReady', flag, done ? 'PodCompleted' : undefined),
    condition('Ready', flag, done ? 'PodCompleted' : undefined),
  ];
}

function containerId(): string {
  return `containerd://${randomBytes(32).toString('hex')}`;
}

function containerStatus(
  name: string,
  image: string,
  state: Record<string, unknown>,
  ready: boolean,
): Record<string, unknown> {
  const created = state.waiting === undefined;
  return {
    name,
    image,
    imageID: created ? `${image}@sha256:${randomBytes(32).toString('hex')}` : '',
    ...(created ? { containerID: containerId() } : {}),
    ready,
    restartCount: 0,
    started: state.running !== undefined,
    state,
  };
}

/** Scheduled on the sandbox's node. */
export function scheduledStatus(status: Status): void {
  status.hostIP = '127.0.0.1';
  status.conditions = [condition('PodScheduled', 'True')];
}

/** Containers being created (images "pulled"). */
export function creatingStatus(status: Status, mainImage: string): void {
  status.conditions = conditions('False');
  status.containerStatuses = [
    containerStatus('wait', EXECUTOR_IMAGE, { waiting: { reason: 'ContainerCreating' } }, false),
    containerStatus('main', mainImage, { waiting: { reason: 'ContainerCreating' } }, false),
  ];
}

/** Both containers running since `startedAt`. */
export function runningStatus(status: Status, mainImage: string, startedAt: string): void {
  status.phase = 'Running';
  status.startTime = startedAt;
  status.podIP = '127.0.0.1';
  status.conditions = conditions('True');
  status.containerStatuses = [
    containerStatus('wait', EXECUTOR_IMAGE, { running: { startedAt } }, true),
    containerStatus('main', mainImage, { running: { startedAt } }, true),
  ];
}

/** Succeeded or Failed, with both containers terminated. */
export function finishedStatus(status: Status, mainImage: string, outcome: Outcome): void {
  const finishedAt = kubeTime(new Date());
  const startedAt = typeof status.startTime === 'string' ? status.startTime : finishedAt;
  status.phase = outcome.exitCode === 0 && outcome.podMessage === undefined ? 'Succeeded' : 'Failed';
  if (outcome.podMessage !== undefined) {
    status.message = outcome.podMessage;
    status.reason = outcome.podReason;
  }
  status.conditions = conditions('Completed');
  const terminated = (exitCode: number, reason: string, message?: string): Record<string, unknown> => ({
    exitCode,
    reason,
    ...(message !== undefined && message !== '' ? { message } : {}),
    startedAt,
    finishedAt,
    containerID: containerId(),
  });
  status.containerStatuses = [
    containerStatus('wait', EXECUTOR_IMAGE, { terminated: terminated(0, 'Completed') }, false),
    containerStatus(
      'main',
      mainImage,
      { terminated: terminated(outcome.exitCode, outcome.reason, outcome.message) },
      false,
    ),
  ];
}
