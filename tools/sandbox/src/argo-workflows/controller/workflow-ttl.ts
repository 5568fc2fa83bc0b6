import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import type { TTLStrategy, WorkflowSpec, WorkflowStatus } from '../workflow-types';
import { WORKFLOW_LABELS } from '../workflow-types';

/**
 * Argo's workflow TTL controller (workflow/gccontroller/gc_controller.go): a completed workflow
 * with a ttlStrategy is deleted `secondsAfterFailure` (phase Failed), `secondsAfterSuccess`
 * (Succeeded), else `secondsAfterCompletion` after its finishedAt, one second late as Argo
 * queues it; the workflow's own strategy wins over its template's. Just before deleting it
 * checks the workflow is still done (a retry may have set it running again). Its pods go with it.
 */
export class WorkflowTtl {
  private readonly pending = new Map<string, () => void>();

  constructor(private readonly ctx: SandboxContext) {}

  consider(workflow: KubeObject): void {
    const namespace = workflow.metadata.namespace ?? '';
    const name = workflow.metadata.name ?? '';
    const key = `${namespace}/${name}`;
    if (this.pending.has(key) || !isDone(workflow)) return;
    const seconds = ttlSeconds(workflow);
    const finishedAt = Date.parse(String((workflow.status as WorkflowStatus | undefined)?.finishedAt ?? ''));
    if (seconds === undefined || Number.isNaN(finishedAt)) return;
    const elapsed = (Date.now() - finishedAt) * this.ctx.clock.speed;
    const cancel = this.ctx.clock.after(Math.max(0, seconds * 1000 - elapsed) + 1000, () => {
      this.pending.delete(key);
      const current = this.ctx.store.get(Kinds.Workflow, namespace, name);
      if (current !== undefined && isDone(current)) this.ctx.store.delete(Kinds.Workflow, namespace, name);
    });
    this.pending.set(key, cancel);
  }

  forget(namespace: string, name: string): void {
    this.pending.get(`${namespace}/${name}`)?.();
    this.pending.delete(`${namespace}/${name}`);
  }

  stop(): void {
    for (const cancel of this.pending.values()) cancel();
    this.pending.clear();
  }
}

/** common.IsDone: labelled completed and not being deleted. */
function isDone(workflow: KubeObject): boolean {
  return (
    workflow.metadata.labels?.[WORKFLOW_LABELS.completed] === 'true' &&
    workflow.metadata.deletionTimestamp === undefined
  );
}

function ttlSeconds(workflow: KubeObject): number | undefined {
  const status = (workflow.status ?? {}) as WorkflowStatus;
  const strategy: TTLStrategy | undefined =
    (workflow.spec as WorkflowSpec | undefined)?.ttlStrategy ??
    status.storedWorkflowTemplateSpec?.ttlStrategy;
  if (strategy === undefined) return undefined;
  if (status.phase === 'Failed' && strategy.secondsAfterFailure !== undefined)
    return strategy.secondsAfterFailure;
  if (status.phase === 'Succeeded' && strategy.secondsAfterSuccess !== undefined)
    return strategy.secondsAfterSuccess;
  return strategy.secondsAfterCompletion;
}
