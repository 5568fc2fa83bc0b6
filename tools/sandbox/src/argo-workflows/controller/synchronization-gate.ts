import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { resolveWorkflowSpec, SpecError } from './engine/spec';
import { WorkflowMutexes } from './synchronization';
import {
  isWorkflowCompleted,
  WORKFLOW_LABELS,
  type WorkflowSpec,
  type WorkflowStatus,
} from '../workflow-types';

const COMPONENT = 'workflow-controller';

/**
 * Where the workflow controller applies `spec.synchronization` before it operates a workflow
 * (operator.go's workflow-level TryAcquire): a workflow without its locks stays Pending with the
 * waiting message, one that has them records them in its status and goes on, one whose locks
 * cannot be had ends Failed, and a workflow terminated while it waits ends as it never started.
 */
export class SynchronizationGate {
  private readonly mutexes = new WorkflowMutexes();

  constructor(
    private readonly ctx: SandboxContext,
    /** Queues a workflow for the controller (the next holder of a released lock). */
    private readonly wake: (namespace: string, name: string) => void,
  ) {}

  /** Re-registers the holders recorded in unfinished workflows' statuses. */
  restore(unfinished: KubeObject[]): void {
    this.mutexes.restore(unfinished);
  }

  /**
   * The workflow once it holds its locks (its status recording them), or undefined while it waits
   * (Pending, with the waiting message) or when it cannot have them.
   */
  admit(wf: KubeObject): KubeObject | undefined {
    const status = (wf.status ?? {}) as WorkflowStatus;
    if (isWorkflowCompleted(status.phase)) return wf;
    let spec: WorkflowSpec;
    try {
      spec = resolveWorkflowSpec(this.ctx.store, wf).spec;
    } catch (error) {
      if (error instanceof SpecError) return wf; // operate() reports it
      throw error;
    }
    let decision: ReturnType<WorkflowMutexes['decide']>;
    try {
      decision = this.mutexes.decide(wf, spec);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      this.endUnstarted(wf, 'Failed', `Failed to acquire the synchronization lock. ${error.message}`);
      return undefined;
    }
    if (decision.kind === 'none') return wf;
    if (decision.kind === 'waiting') {
      if (spec.shutdown === 'Terminate') {
        // A workflow still queued for its lock never starts: it ends as every shutdown does.
        this.release(wf);
        this.endUnstarted(wf, 'Failed', "Stopped with strategy 'Terminate'");
        return undefined;
      }
      const next = { ...decision.status, phase: status.phase || 'Pending', message: decision.message };
      this.saveStatus(wf, next);
      return undefined;
    }
    const next: WorkflowStatus = { ...decision.status };
    if (next.message?.startsWith('Waiting for ') === true) delete next.message;
    return this.saveStatus(wf, next);
  }

  /** Writes a status the controller decided outside operate(), with the phase label; skips no-ops. */
  private saveStatus(wf: KubeObject, status: WorkflowStatus): KubeObject {
    if (JSON.stringify(status) === JSON.stringify(wf.status ?? {})) return wf;
    return this.ctx.store.mutate(Kinds.Workflow, wf.metadata.namespace, wf.metadata.name ?? '', (o) => {
      o.status = status;
      if (status.phase !== undefined && status.phase !== '') {
        o.metadata.labels = {
          ...o.metadata.labels,
          [WORKFLOW_LABELS.phase]: status.phase,
          [WORKFLOW_LABELS.completed]: 'false',
        };
      }
    });
  }

  /** Frees the workflow's locks and wakes whoever is next for them. */
  release(wf: KubeObject): void {
    for (const key of this.mutexes.release(wf)) {
      const slash = key.indexOf('/');
      this.wake(key.slice(0, slash), key.slice(slash + 1));
    }
  }

  /** Ends a workflow that never ran (`markWorkflowFailed` before any node). */
  private endUnstarted(wf: KubeObject, phase: 'Failed' | 'Error', message: string): void {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const saved = this.ctx.store.mutate(
      Kinds.Workflow,
      wf.metadata.namespace,
      wf.metadata.name ?? '',
      (o) => {
        const status = { ...((o.status ?? {}) as WorkflowStatus) };
        status.phase = phase;
        status.message = message;
        status.startedAt ??= now;
        status.finishedAt = now;
        if (status.synchronization !== undefined) status.synchronization = {};
        o.status = status;
        o.metadata.labels = {
          ...o.metadata.labels,
          [WORKFLOW_LABELS.phase]: phase,
          [WORKFLOW_LABELS.completed]: 'true',
        };
      },
    );
    this.ctx.events.record(saved, 'Warning', 'WorkflowFailed', message, COMPONENT);
  }
}
