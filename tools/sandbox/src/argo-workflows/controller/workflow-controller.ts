import { rm } from 'node:fs/promises';
import type { KubeObject } from '../../core/kube-object';
import type { Watch } from '../../core/object-store';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { operate, type Operation } from './engine/operation';
import { resolveWorkflowSpec } from './engine/spec';
import { workflowDir } from './pods/pod-layout';
import type { PodTimings } from './pods/pod-run';
import { PodGarbageCollector } from './pods/pod-gc';
import { PodSupervisor } from './pods/pod-supervisor';
import { warnIfUsersNotEmulated } from './pods/user-emulation';
import { heldLocks } from './synchronization';
import { SynchronizationGate } from './synchronization-gate';
import {
  isWorkflowCompleted,
  POD_ANNOTATIONS,
  WORKFLOW_LABELS,
  type WorkflowSpec,
  type WorkflowStatus,
} from '../workflow-types';
import { WorkflowTtl } from './workflow-ttl';

export interface WorkflowControllerOptions {
  /** Simulated ms from pod creation to scheduling (default 500). */
  podScheduleDelayMs?: number;
  /** Simulated ms from scheduling to running containers (default 1000). */
  podStartDelayMs?: number;
  /** Simulated ms between polls of interpreted CLIs such as `argocd app wait` (default 1000). */
  pollIntervalMs?: number;
  /**
   * Simulated ms a new workflow stays Pending before it starts running (default 0), as it does
   * behind a busy controller's queue; lets a test watch a task from its very first phase.
   */
  pendingMs?: number;
}

const COMPONENT = 'workflow-controller';

/**
 * The sandbox's Argo Workflows controller. It watches Workflows in `ctx.store` and runs each one
 * as Argo's controller does — phases "" → Pending → Running → Succeeded | Failed | Error, nodes
 * with Argo's ids and names, progress, labels, `Workflow*` events — executing every Pod node as a
 * Pod object whose main container really runs (see executors/image-kind.ts for what runs how).
 *
 * The one deliberate deviation: steps run on this machine, not in containers, so the absolute
 * paths a template uses (volume mounts, `/tmp`, `/workspace`, its working directory) are mapped to
 * folders under `<dataDir>/workflows/<workflow>/` (see PathMapper).
 *
 * Workflow-level mutexes (`spec.synchronization.mutexes`, see {@link SynchronizationGate}) hold a
 * workflow Pending until it has its locks; a completed workflow releases them to the next in line.
 *
 * Restart-safe: `start()` picks up every Running workflow and re-runs the pods of its unfinished
 * nodes. A workflow reset to Running by the server's retry continues from the nodes left in
 * its status. `spec.shutdown` Terminate/Stop kills running steps (Stop still runs the exit handler).
 */
export class WorkflowController {
  private watch: Watch | undefined;
  private readonly queue = new Set<string>();
  private flushing = false;
  private running = false;
  private readonly supervisor: PodSupervisor;
  private readonly podGc: PodGarbageCollector;
  private readonly ttl: WorkflowTtl;
  private readonly timers = new Set<() => void>();
  private readonly pendingMs: number;
  /** Workflows held Pending: true while waiting, false once they may run. */
  private readonly held = new Map<string, boolean>();
  private readonly locks: SynchronizationGate;

  constructor(
    private readonly ctx: SandboxContext,
    options: WorkflowControllerOptions = {},
  ) {
    const timings: PodTimings = {
      scheduleDelayMs: options.podScheduleDelayMs ?? 500,
      startDelayMs: options.podStartDelayMs ?? 1000,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
    };
    this.pendingMs = options.pendingMs ?? 0;
    this.supervisor = new PodSupervisor(ctx, timings, (namespace, name) => this.enqueue(namespace, name));
    this.podGc = new PodGarbageCollector(ctx);
    this.ttl = new WorkflowTtl(ctx);
    this.locks = new SynchronizationGate(ctx, (namespace, name) => this.enqueue(namespace, name));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    warnIfUsersNotEmulated();
    const unfinished = this.ctx.store
      .list(Kinds.Workflow, {})
      .items.filter((wf) => !isWorkflowCompleted((wf.status as WorkflowStatus | undefined)?.phase));
    this.locks.restore(unfinished);
    this.watch = this.ctx.store.watch(Kinds.Workflow, {}, (event) => {
      const { namespace = '', name = '' } = event.object.metadata;
      if (event.type === 'DELETED') {
        this.forget(namespace, name);
        return;
      }
      // Completed workflows (also those found at start) are the TTL controller's to delete.
      this.ttl.consider(event.object);
      this.enqueue(namespace, name);
    });
  }

  stop(): void {
    this.running = false;
    this.watch?.close();
    this.watch = undefined;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.queue.clear();
    this.supervisor.detachAll();
    this.podGc.stop();
    this.ttl.stop();
  }

  /** Pods whose main container this controller is running right now. */
  get activePods(): number {
    return this.supervisor.running;
  }

  private enqueue(namespace: string, name: string): void {
    if (!this.running) return;
    this.queue.add(`${namespace}/${name}`);
    if (this.flushing) return;
    this.flushing = true;
    // Watch listeners run inside the store's write; operating later avoids re-entering it.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushing = false;
    const keys = [...this.queue];
    this.queue.clear();
    for (const k of keys) {
      if (!this.running) return;
      const slash = k.indexOf('/');
      this.operateOne(k.slice(0, slash), k.slice(slash + 1));
    }
  }

  private operateOne(namespace: string, name: string): void {
    const wf = this.ctx.store.get(Kinds.Workflow, namespace, name);
    if (wf === undefined) return;
    if (this.holdPending(wf, `${namespace}/${name}`)) return;
    try {
      const ready = this.locks.admit(wf);
      if (ready === undefined) return;
      const op = operate(
        this.ctx.store,
        ready,
        this.supervisor.view(namespace),
        new Date(),
        this.ctx.clock.speed,
      );
      if (op === undefined) return;
      const releasing = isWorkflowCompleted(op.status.phase) && heldLocks(ready).length > 0;
      // ReleaseAll empties status.synchronization.mutex in the same update that completes the workflow.
      if (releasing) op.status.synchronization = {};
      this.apply(ready, op);
      if (releasing) this.locks.release(ready);
    } catch (error) {
      this.failWithBug(wf, error);
    }
  }

  /** Keeps a Pending workflow waiting for pendingMs once, then lets it run. */
  private holdPending(wf: KubeObject, key: string): boolean {
    const phase = (wf.status as { phase?: string } | undefined)?.phase;
    if (this.pendingMs <= 0 || phase !== 'Pending') return false;
    const waiting = this.held.get(key);
    if (waiting !== undefined) return waiting;
    this.held.set(key, true);
    const cancel = this.ctx.clock.after(this.pendingMs, () => {
      this.timers.delete(cancel);
      this.held.set(key, false);
      const slash = key.indexOf('/');
      this.enqueue(key.slice(0, slash), key.slice(slash + 1));
    });
    this.timers.add(cancel);
    return true;
  }

  private apply(wf: KubeObject, op: Operation): void {
    const namespace = wf.metadata.namespace ?? '';
    const name = wf.metadata.name ?? '';
    const before = JSON.stringify({ s: wf.status, l: wf.metadata.labels });
    let saved = wf;
    if (JSON.stringify({ s: op.status, l: op.labels }) !== before) {
      saved = this.ctx.store.mutate(Kinds.Workflow, namespace, name, (o) => {
        o.status = op.status;
        o.metadata.labels = op.labels;
      });
    }
    for (const event of op.workflowEvents)
      this.ctx.events.record(saved, event.type, event.reason, event.message, COMPONENT);
    for (const node of op.nodeChanges) {
      if (node.phase === 'Pending' || node.phase === 'Skipped' || node.phase === 'Omitted') continue;
      const message = `${node.phase} node ${node.name}${node.message !== undefined ? `: ${node.message}` : ''}`;
      const type = node.phase === 'Running' || node.phase === 'Succeeded' ? 'Normal' : 'Warning';
      const event = this.ctx.events.record(saved, type, `WorkflowNode${node.phase}`, message, COMPONENT);
      this.annotateNodeEvent(event, node.name, node.type);
    }
    for (const podName of op.kills) this.supervisor.kill(namespace, podName);
    for (const podName of op.completedPods) this.supervisor.markCompleted(namespace, podName);
    if (op.launches.length > 0) {
      const spec = this.specOf(saved);
      for (const launch of op.launches) this.supervisor.launch(saved, spec, launch);
    }
    // As Argo, pods are collected only after the workflow's new status is saved.
    const podGC = (saved.status as { storedWorkflowTemplateSpec?: WorkflowSpec } | undefined)
      ?.storedWorkflowTemplateSpec?.podGC;
    if ((saved.spec as WorkflowSpec | undefined)?.podGC !== undefined || podGC !== undefined)
      this.podGc.consider(saved, this.specOf(saved));
    if (op.requeueAfterMs !== undefined) {
      const cancel = this.ctx.clock.after(op.requeueAfterMs, () => {
        this.timers.delete(cancel);
        this.enqueue(namespace, name);
      });
      this.timers.add(cancel);
    }
  }

  private specOf(wf: KubeObject): WorkflowSpec {
    return resolveWorkflowSpec(this.ctx.store, wf).spec;
  }

  /** Argo annotates node events with the node's name and type. */
  private annotateNodeEvent(event: KubeObject, nodeName: string, nodeType: string): void {
    const { namespace, name } = event.metadata;
    if (name === undefined || event.metadata.annotations?.[POD_ANNOTATIONS.nodeName] !== undefined) return;
    this.ctx.store.mutate(Kinds.Event, namespace, name, (e) => {
      e.metadata.annotations = {
        [POD_ANNOTATIONS.nodeName]: nodeName,
        'workflows.argoproj.io/node-type': nodeType,
      };
    });
  }

  /** A bug in the sandbox must not leave a workflow hanging: it ends in Error, saying why. */
  private failWithBug(wf: KubeObject, error: unknown): void {
    const message = `sandbox workflow controller error: ${error instanceof Error ? error.message : String(error)}`;
    if (this.ctx.store.get(Kinds.Workflow, wf.metadata.namespace, wf.metadata.name ?? '') === undefined)
      return;
    const saved = this.ctx.store.mutate(
      Kinds.Workflow,
      wf.metadata.namespace,
      wf.metadata.name ?? '',
      (o) => {
        const status = (o.status ?? {}) as Record<string, unknown>;
        status.phase = 'Error';
        status.message = message;
        status.finishedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        o.status = status;
        o.metadata.labels = {
          ...o.metadata.labels,
          [WORKFLOW_LABELS.phase]: 'Error',
          [WORKFLOW_LABELS.completed]: 'true',
        };
      },
    );
    this.ctx.events.record(saved, 'Warning', 'WorkflowFailed', message, COMPONENT);
    this.locks.release(saved);
  }

  private forget(namespace: string, name: string): void {
    this.held.delete(`${namespace}/${name}`);
    this.ttl.forget(namespace, name);
    this.podGc.forgetWorkflow(namespace, name);
    this.locks.release({ metadata: { namespace, name } });
    this.supervisor.forgetWorkflow(namespace, name);
    void rm(workflowDir(this.ctx, name), { recursive: true, force: true }).catch(() => undefined);
  }
}
