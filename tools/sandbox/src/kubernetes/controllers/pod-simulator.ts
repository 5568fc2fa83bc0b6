import { randomBytes } from 'node:crypto';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { kubeTime } from '../../core/sim-clock';
import { StoreError } from '../../core/store-errors';
import { pullImage } from './image-pull';
import { readinessDelayMs, runAsNonRootProblem } from './container-checks';
import { ContainerLogger } from './container-logger';
import { podQosClass } from './pod-qos';
import { creatingContainer, HOST_IP, podIpFor, renderPodStatus, type PodState } from './pod-status';
import {
  CRASH_ANNOTATION,
  CRASH_ENV,
  NODE_NAME,
  type Container,
  type ContainerStatus,
  type PodObject,
} from './workload-types';

/** Simulated durations (ms of simulated time) of a pod's start, as a small image on a warm node takes. */
export const POD_TIMINGS = {
  schedule: 100,
  sandbox: 400,
  pull: 1500,
  start: 200,
  ready: 1000,
  crashAfter: 3000,
  backOffBase: 10_000,
  backOffMax: 300_000,
};

const KUBELET = 'kubelet';

/**
 * The kubelet for one pod: schedules it, pulls images (ErrImagePull / ImagePullBackOff when the
 * sandbox registry never saw the image), starts containers, marks them ready, writes their logs,
 * and crash-loops containers asked to crash. Every step writes the pod's status and records the
 * Events a real kubelet and scheduler record.
 */
export class PodSimulator {
  private readonly timers = new Set<() => void>();
  private readonly state: PodState;
  private readonly loggers = new Map<string, ContainerLogger>();
  private stopped = false;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly pod: PodObject,
  ) {
    const name = pod.metadata.name ?? '';
    this.state = {
      phase: 'Pending',
      hostIP: HOST_IP,
      podIP: podIpFor(name),
      containers: pod.spec.containers.map((c) => creatingContainer(c.name, c.image)),
      qosClass: podQosClass(pod.spec),
    };
  }

  get namespace(): string {
    return this.pod.metadata.namespace ?? 'default';
  }

  get name(): string {
    return this.pod.metadata.name ?? '';
  }

  start(): void {
    this.at(POD_TIMINGS.schedule, () => this.schedule());
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    for (const logger of this.loggers.values()) logger.stop();
  }

  private schedule(): void {
    this.state.scheduledAt = now();
    this.event(
      'Normal',
      'Scheduled',
      `Successfully assigned ${this.namespace}/${this.name} to ${NODE_NAME}`,
      'default-scheduler',
    );
    this.write();
    this.at(POD_TIMINGS.sandbox, () => {
      this.state.initializedAt = now();
      this.state.readyChangedAt = this.state.initializedAt;
      this.write();
      this.pod.spec.containers.forEach((spec, i) => this.pull(spec, i, 0));
    });
  }

  private pull(spec: Container, index: number, failures: number): void {
    this.event('Normal', 'Pulling', `Pulling image "${spec.image}"`);
    this.at(POD_TIMINGS.pull, () => {
      const result = pullImage(this.ctx, spec.image, {
        namespace: this.namespace,
        imagePullSecrets: this.pod.spec.imagePullSecrets,
      });
      const status = this.container(index);
      if (!result.ok) {
        this.event('Warning', 'Failed', `Failed to pull image "${spec.image}": ${result.message}`);
        this.event('Warning', 'Failed', 'Error: ErrImagePull');
        status.state = { waiting: { reason: 'ErrImagePull', message: result.message } };
        this.write();
        this.at(POD_TIMINGS.start, () => {
          const message = `Back-off pulling image "${spec.image}"`;
          this.event('Normal', 'BackOff', message);
          this.event('Warning', 'Failed', 'Error: ImagePullBackOff');
          status.state = { waiting: { reason: 'ImagePullBackOff', message } };
          this.write();
          this.at(backOff(failures), () => this.pull(spec, index, failures + 1));
        });
        return;
      }
      const seconds = (POD_TIMINGS.pull / 1000).toFixed(1);
      status.imageID = result.imageID;
      this.event(
        'Normal',
        'Pulled',
        `Successfully pulled image "${spec.image}" in ${seconds}s (${seconds}s including waiting). Image size: ${result.size} bytes.`,
      );
      this.run(spec, index);
    });
  }

  private run(spec: Container, index: number): void {
    const status = this.container(index);
    const problem = runAsNonRootProblem(this.pod, spec);
    if (problem !== undefined) {
      this.at(POD_TIMINGS.start, () => {
        this.event('Warning', 'Failed', `Error: ${problem}`);
        status.state = { waiting: { reason: 'CreateContainerConfigError', message: problem } };
        this.write();
      });
      return;
    }
    this.at(POD_TIMINGS.start, () => {
      const containerID = `containerd://${randomBytes(32).toString('hex')}`;
      this.event('Normal', 'Created', `Created container ${spec.name}`);
      this.event('Normal', 'Started', `Started container ${spec.name}`);
      status.containerID = containerID;
      status.started = true;
      status.state = { running: { startedAt: now() } };
      this.state.phase = 'Running';
      this.write();
      const logger = this.logger(spec);
      logger.start();
      if (this.crashes(spec)) {
        this.at(POD_TIMINGS.crashAfter, () => this.crash(spec, index));
      } else {
        this.at(readinessDelayMs(spec, POD_TIMINGS.ready), () => this.setReady(index, true));
      }
    });
  }

  private crash(spec: Container, index: number): void {
    const status = this.container(index);
    const startedAt = status.state.running?.startedAt ?? now();
    this.logger(spec).crash();
    status.lastState = {
      terminated: {
        exitCode: 1,
        reason: 'Error',
        startedAt,
        finishedAt: now(),
        containerID: status.containerID,
      },
    };
    status.state = status.lastState;
    status.started = false;
    this.setReady(index, false);
    const delay = backOff(status.restartCount);
    status.restartCount += 1;
    this.at(POD_TIMINGS.start, () => {
      const pod = `${this.name}_${this.namespace}(${this.pod.metadata.uid ?? ''})`;
      status.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${spec.name} pod=${pod}`,
        },
      };
      this.event('Warning', 'BackOff', `Back-off restarting failed container ${spec.name} in pod ${pod}`);
      this.write();
      this.at(delay, () => {
        this.event('Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
        this.run(spec, index);
      });
    });
  }

  private setReady(index: number, ready: boolean): void {
    const wasReady = this.state.containers.every((c) => c.ready);
    this.container(index).ready = ready;
    if (this.state.containers.every((c) => c.ready) !== wasReady) this.state.readyChangedAt = now();
    this.write();
  }

  private crashes(spec: Container): boolean {
    const annotation = this.pod.metadata.annotations?.[CRASH_ANNOTATION];
    const env = spec.env?.find((e) => e.name === CRASH_ENV)?.value;
    return annotation === 'true' || env === 'true' || env === '1';
  }

  private container(index: number): ContainerStatus {
    const status = this.state.containers[index];
    if (status === undefined) throw new RangeError(`no container ${index} in pod ${this.name}`);
    return status;
  }

  private logger(spec: Container): ContainerLogger {
    let logger = this.loggers.get(spec.name);
    if (logger === undefined) {
      logger = new ContainerLogger(this.ctx, this.namespace, this.name, spec);
      this.loggers.set(spec.name, logger);
    }
    return logger;
  }

  /** Writes the rendered status; a pod deleted or terminating meanwhile stops the simulation. */
  private write(): void {
    if (this.stopped) return;
    try {
      this.ctx.store.mutate(Kinds.Pod, this.namespace, this.name, (object) => {
        const pod = object as PodObject;
        if (this.state.scheduledAt !== undefined) pod.spec.nodeName = NODE_NAME;
        pod.status = renderPodStatus(this.state);
      });
    } catch (error) {
      if (error instanceof StoreError && error.reason === 'NotFound') this.stop();
      else throw error;
    }
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string, component = KUBELET): void {
    if (this.stopped) return;
    this.ctx.events.record(this.pod, type, reason, message, component);
  }

  private at(simulatedMs: number, fn: () => void): void {
    if (this.stopped) return;
    const cancel = this.ctx.clock.after(simulatedMs, () => {
      this.timers.delete(cancel);
      if (!this.stopped) fn();
    });
    this.timers.add(cancel);
  }
}

/** Kubelet back-off: 10 s doubling per failure, capped at 5 minutes. */
function backOff(failures: number): number {
  return Math.min(POD_TIMINGS.backOffBase * 2 ** failures, POD_TIMINGS.backOffMax);
}

function now(): string {
  return kubeTime(new Date());
}
