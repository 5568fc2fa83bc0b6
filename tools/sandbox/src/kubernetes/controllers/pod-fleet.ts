import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { kubeTime } from '../../core/sim-clock';
import { StoreError } from '../../core/store-errors';
import { PodSimulator } from './pod-simulator';
import { newPod } from './workload-objects';
import type { PodObject, ReplicaSetObject } from './workload-types';

/** Simulated ms a terminating container takes to stop after SIGTERM. */
export const TERMINATION_MS = 1000;

/**
 * The pods of ReplicaSets as the ReplicaSet controller and the kubelet handle them: creates pods
 * and starts their simulation, terminates them gracefully (deletionTimestamp, Killing event, then
 * gone), and forgets them when they disappear.
 */
export class PodFleet {
  private readonly simulators = new Map<string, PodSimulator>();
  private readonly terminations = new Map<string, () => void>();

  constructor(private readonly ctx: SandboxContext) {}

  create(rs: ReplicaSetObject): void {
    const pod = this.ctx.store.create(Kinds.Pod, newPod(rs)) as PodObject;
    this.ctx.events.record(
      rs,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${pod.metadata.name ?? ''}`,
      'replicaset-controller',
    );
    this.simulate(pod);
  }

  /** Runs (or re-runs, after a restart of the controller) a pod's lifecycle. */
  simulate(pod: PodObject): void {
    const uid = pod.metadata.uid ?? '';
    if (this.simulators.has(uid)) return;
    const simulator = new PodSimulator(this.ctx, pod);
    this.simulators.set(uid, simulator);
    simulator.start();
  }

  terminate(pod: PodObject, rs: ReplicaSetObject | undefined): void {
    const uid = pod.metadata.uid ?? '';
    if (this.terminations.has(uid)) return;
    const namespace = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    this.simulators.get(uid)?.stop();
    this.simulators.delete(uid);
    if (rs !== undefined) {
      this.ctx.events.record(
        rs,
        'Normal',
        'SuccessfulDelete',
        `Deleted pod: ${name}`,
        'replicaset-controller',
      );
    }
    if (pod.metadata.deletionTimestamp === undefined) {
      const grace = Number(pod.spec.terminationGracePeriodSeconds ?? 30);
      this.ignoreMissing(() =>
        this.ctx.store.mutate(Kinds.Pod, namespace, name, (o) => {
          o.metadata.deletionTimestamp = kubeTime(new Date(Date.now() + grace * 1000));
          o.metadata.deletionGracePeriodSeconds = grace;
        }),
      );
    }
    for (const container of pod.spec.containers) {
      this.ctx.events.record(pod, 'Normal', 'Killing', `Stopping container ${container.name}`, 'kubelet');
      this.ctx.logs.append(namespace, name, container.name, 'received SIGTERM, shutting down gracefully');
    }
    const cancel = this.ctx.clock.after(TERMINATION_MS, () => {
      this.terminations.delete(uid);
      this.ignoreMissing(() => this.ctx.store.delete(Kinds.Pod, namespace, name));
      this.ctx.logs.deletePod(namespace, name);
    });
    this.terminations.set(uid, cancel);
  }

  /** Deletes a pod at once, as the garbage collector does when its owner is gone. */
  remove(pod: PodObject): void {
    this.forget(pod);
    this.ignoreMissing(() =>
      this.ctx.store.delete(Kinds.Pod, pod.metadata.namespace, pod.metadata.name ?? ''),
    );
  }

  /** The pod is gone from the store: stop everything about it. */
  forget(pod: PodObject): void {
    const uid = pod.metadata.uid ?? '';
    this.simulators.get(uid)?.stop();
    this.simulators.delete(uid);
    this.terminations.get(uid)?.();
    this.terminations.delete(uid);
    this.ctx.logs.deletePod(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
  }

  isTerminating(pod: PodObject): boolean {
    return this.terminations.has(pod.metadata.uid ?? '') || pod.metadata.deletionTimestamp !== undefined;
  }

  stop(): void {
    for (const simulator of this.simulators.values()) simulator.stop();
    for (const cancel of this.terminations.values()) cancel();
    this.simulators.clear();
    this.terminations.clear();
  }

  private ignoreMissing(write: () => unknown): void {
    try {
      write();
    } catch (error) {
      if (!(error instanceof StoreError && error.reason === 'NotFound')) throw error;
    }
  }
}
