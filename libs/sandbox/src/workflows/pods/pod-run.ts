import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { kubeTime } from '../../core/sim-clock';
import { StoreError } from '../../core/store-errors';
import type { PodLaunch } from '../engine/execution';
import { runStep, unsupportedImage } from '../executors/run-step';
import { imageKind } from '../executors/image-kind';
import { UnsupportedStepError, type StepResult } from '../executors/step-runtime';
import type { WorkflowSpec } from '../types';
import { POD_ANNOTATIONS } from '../types';
import { abortableSleep } from './abortable-sleep';
import { resolveEnv, SANDBOX_NODE } from './pod-env';
import { preparePodLayout } from './pod-layout';
import { EXECUTOR_IMAGE, mainContainer } from './pod-manifest';
import { collectOutputs, MAX_RESULT_BYTES } from './pod-outputs';
import { PodSetupError } from './pod-setup-error';

/** Simulated durations of a pod's life before its main container runs. */
export interface PodTimings {
  /** From creation to scheduled. */
  scheduleDelayMs: number;
  /** From scheduled to containers started (image pull, container create). */
  startDelayMs: number;
  /** Between polls of interpreted CLIs (argocd app wait). */
  pollIntervalMs: number;
}

interface Outcome {
  exitCode: number;
  reason: string;
  message?: string;
  podMessage?: string;
  podReason?: string;
  outputs?: string;
}

/**
 * One pod's life as kubelet and Argo's executor would live it: Pending, Scheduled, images pulled
 * and containers started (with the usual events), Running while the main container runs (its
 * output streamed to the pod log line by line), then Succeeded or Failed with container
 * statuses and the outputs annotation the controller reads.
 */
export class PodRun {
  private readonly abort = new AbortController();
  private detached = false;
  private readonly main: ReturnType<typeof mainContainer>;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly namespace: string,
    private readonly workflowName: string,
    private readonly spec: WorkflowSpec,
    private readonly launch: PodLaunch,
    private readonly timings: PodTimings,
    private readonly onChange: () => void,
  ) {
    this.main = mainContainer(launch);
  }

  /** Kills the main container; the pod still ends (Failed, exit code 137). */
  kill(): void {
    this.abort.abort();
  }

  /** Stops without touching the pod again (controller shutdown). */
  detach(): void {
    this.detached = true;
    this.abort.abort();
  }

  async run(): Promise<void> {
    const signal = this.abort.signal;
    const { namespace, launch } = this;
    try {
      await abortableSleep(this.ctx.clock, this.timings.scheduleDelayMs, signal);
      if (this.detached) return;
      const scheduled = this.update((pod, status) => {
        (pod.spec as Record<string, unknown>).nodeName = SANDBOX_NODE;
        status.hostIP = '127.0.0.1';
        status.conditions = [condition('PodScheduled', 'True')];
      });
      this.event(
        scheduled,
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace}/${launch.podName} to ${SANDBOX_NODE}`,
        'default-scheduler',
      );
      if (signal.aborted) {
        this.finish({ exitCode: 137, reason: 'Error' });
        return;
      }
      let layout;
      let env;
      try {
        if (imageKind(this.main.image) === 'unsupported') throw unsupportedImage(this.main.image);
        layout = await preparePodLayout(
          this.ctx,
          namespace,
          this.workflowName,
          launch.podName,
          launch.template,
          this.spec,
        );
        env = resolveEnv(this.ctx, namespace, launch.podName, this.main.env);
      } catch (error) {
        if (error instanceof PodSetupError || error instanceof UnsupportedStepError) {
          const reason = error instanceof PodSetupError ? error.reason : 'SandboxUnsupportedImage';
          this.event(scheduled, 'Warning', 'Failed', error.message, 'kubelet');
          this.finish({
            exitCode: 1,
            reason: 'Error',
            podMessage: error.message,
            podReason: reason,
          });
          return;
        }
        throw error;
      }
      this.update((_pod, status) => {
        status.conditions = [
          condition('PodScheduled', 'True'),
          condition('Initialized', 'True'),
          condition('ContainersReady', 'False'),
          condition('Ready', 'False'),
        ];
        status.containerStatuses = ['wait', 'main'].map((name) =>
          containerStatus(name, this.imageOf(name), { waiting: { reason: 'ContainerCreating' } }, false),
        );
      });
      this.onChange();
      await abortableSleep(this.ctx.clock, this.timings.startDelayMs, signal);
      if (this.detached) return;
      if (signal.aborted) {
        this.finish({ exitCode: 137, reason: 'Error' });
        return;
      }
      for (const name of ['wait', 'main']) {
        this.event(
          scheduled,
          'Normal',
          'Pulled',
          `Container image "${this.imageOf(name)}" already present on machine`,
          'kubelet',
        );
        this.event(scheduled, 'Normal', 'Created', `Created container ${name}`, 'kubelet');
        this.event(scheduled, 'Normal', 'Started', `Started container ${name}`, 'kubelet');
      }
      const startedAt = kubeTime(new Date());
      this.update((_pod, status) => {
        status.phase = 'Running';
        status.startTime = startedAt;
        status.podIP = '127.0.0.1';
        status.conditions = [
          condition('PodScheduled', 'True'),
          condition('Initialized', 'True'),
          condition('ContainersReady', 'True'),
          condition('Ready', 'True'),
        ];
        status.containerStatuses = ['wait', 'main'].map((name) =>
          containerStatus(name, this.imageOf(name), { running: { startedAt } }, true),
        );
      });
      this.waitLog('Starting Workflow Executor" version=v4.1.2');
      this.onChange();
      let stdout = '';
      let result: StepResult;
      try {
        result = await runStep({
          ctx: this.ctx,
          namespace,
          podName: launch.podName,
          image: this.main.image,
          ...(launch.template.script !== undefined
            ? {
                script: launch.template.script.source,
                command: launch.template.script.command ?? ['sh'],
                args: launch.template.script.args,
              }
            : { command: launch.template.container?.command, args: launch.template.container?.args }),
          env,
          layout,
          signal,
          pollIntervalMs: this.timings.pollIntervalMs,
          stdout: (line) => {
            if (this.detached) return;
            if (stdout.length < MAX_RESULT_BYTES) stdout += `${line}\n`;
            this.ctx.logs.append(namespace, launch.podName, 'main', line);
          },
          stderr: (line) => {
            if (!this.detached) this.ctx.logs.append(namespace, launch.podName, 'main', line);
          },
        });
      } catch (error) {
        if (!(error instanceof UnsupportedStepError)) throw error;
        this.ctx.logs.append(namespace, launch.podName, 'main', error.message);
        this.finish({
          exitCode: 1,
          reason: 'Error',
          podMessage: error.message,
          podReason: 'SandboxUnsupportedStep',
        });
        return;
      }
      if (this.detached) return;
      if (signal.aborted) result = { exitCode: 137, reason: 'Error' };
      this.waitLog(`Main container completed" error="<nil>"`);
      const { outputs, error } = await collectOutputs(
        launch.template,
        layout.mapper,
        result.exitCode,
        stdout,
      );
      this.waitLog(error === undefined ? 'Saving output parameters"' : `failed to save outputs: ${error}"`);
      this.finish({
        exitCode: result.exitCode,
        reason: result.reason ?? (result.exitCode === 0 ? 'Completed' : 'Error'),
        ...(result.message !== undefined ? { message: result.message } : {}),
        ...(error !== undefined
          ? { podMessage: `failed to save outputs: ${error}`, podReason: 'OutputsError' }
          : {}),
        outputs: JSON.stringify(outputs),
      });
    } catch (error) {
      if (error instanceof StoreError && error.reason === 'NotFound') return; // the pod was deleted under us
      if (this.detached) return;
      const message = `sandbox error: ${error instanceof Error ? error.message : String(error)}`;
      try {
        this.finish({ exitCode: 1, reason: 'Error', podMessage: message, podReason: 'SandboxError' });
      } catch {
        // the pod is gone
      }
    }
  }

  private finish(outcome: Outcome): void {
    if (this.detached) return;
    const { namespace, launch } = this;
    const finishedAt = kubeTime(new Date());
    const ok = outcome.exitCode === 0 && outcome.podMessage === undefined;
    this.update((pod, status) => {
      status.phase = ok ? 'Succeeded' : 'Failed';
      if (outcome.podMessage !== undefined) {
        status.message = outcome.podMessage;
        status.reason = outcome.podReason;
      }
      const startedAt = (status.startTime as string | undefined) ?? finishedAt;
      status.conditions = [
        condition('PodScheduled', 'True'),
        condition('Initialized', 'True'),
        condition('ContainersReady', 'False', 'PodCompleted'),
        condition('Ready', 'False', 'PodCompleted'),
      ];
      status.containerStatuses = [
        containerStatus(
          'wait',
          EXECUTOR_IMAGE,
          { terminated: terminated(0, 'Completed', startedAt, finishedAt) },
          false,
        ),
        containerStatus(
          'main',
          this.main.image,
          {
            terminated: terminated(outcome.exitCode, outcome.reason, startedAt, finishedAt, outcome.message),
          },
          false,
        ),
      ];
      if (outcome.outputs !== undefined) {
        pod.metadata.annotations = {
          ...pod.metadata.annotations,
          [POD_ANNOTATIONS.outputs]: outcome.outputs,
        };
      }
    });
    this.ctx.logs.end(namespace, launch.podName, 'main');
    this.ctx.logs.end(namespace, launch.podName, 'wait');
  }

  private imageOf(container: string): string {
    return container === 'wait' ? EXECUTOR_IMAGE : this.main.image;
  }

  private update(change: (pod: KubeObject, status: Record<string, unknown>) => void): KubeObject {
    return this.ctx.store.mutate(Kinds.Pod, this.namespace, this.launch.podName, (pod) => {
      const status = (pod.status ?? {}) as Record<string, unknown>;
      change(pod, status);
      pod.status = status;
    });
  }

  private event(
    pod: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void {
    this.ctx.events.record(pod, type, reason, message, component);
  }

  private waitLog(text: string): void {
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.ctx.logs.append(
      this.namespace,
      this.launch.podName,
      'wait',
      `time="${time}" level=info msg="${text}`,
    );
  }
}

function condition(type: string, status: string, reason?: string): Record<string, unknown> {
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: kubeTime(new Date()),
    ...(reason !== undefined ? { reason } : {}),
  };
}

function containerStatus(
  name: string,
  image: string,
  state: Record<string, unknown>,
  ready: boolean,
): Record<string, unknown> {
  const running = state.running !== undefined;
  return {
    name,
    image,
    imageID:
      running || state.terminated !== undefined ? `${image}@sha256:${randomBytes(32).toString('hex')}` : '',
    ...(running || state.terminated !== undefined
      ? { containerID: `containerd://${randomBytes(32).toString('hex')}` }
      : {}),
    ready,
    restartCount: 0,
    started: running,
    state,
  };
}

function terminated(
  exitCode: number,
  reason: string,
  startedAt: string,
  finishedAt: string,
  message?: string,
): Record<string, unknown> {
  return {
    exitCode,
    reason,
    ...(message !== undefined && message !== '' ? { message } : {}),
    startedAt,
    finishedAt,
    containerID: `containerd://${randomBytes(32).toString('hex')}`,
  };
}
