import type { KubeObject } from '../../../core/kube-object';
import { LabelSelector } from '../../../core/label-selector';
import { Kinds } from '../../../core/resource-kinds';
import type { SandboxContext } from '../../../core/sandbox-context';
import type { NodeStatus, PodGC, WorkflowSpec, WorkflowStatus } from '../../workflow-types';
import { isFulfilled, POD_ANNOTATIONS, WORKFLOW_LABELS } from '../../workflow-types';
import { podGCDelayMs } from './pod-manifest';

/**
 * Argo's pod garbage collection (workflow/controller/pod_cleanup.go queuePodsForCleanup and
 * pod/cleanup.go determinePodCleanupAction): after every saved operation, each pod of a finished
 * node that `spec.podGC.labelSelector` selects is deleted, `deleteDelayDuration` later (the
 * controller's 5s by default), when the strategy says so — OnPodCompletion: any;
 * OnPodSuccess: a Succeeded pod; OnWorkflowCompletion / OnWorkflowSuccess: every pod once the
 * workflow completed / succeeded. Other pods are only labelled completed (PodSupervisor).
 */
export class PodGarbageCollector {
  /** Deletions queued: pod key → the workflow it belongs to and how to cancel it. */
  private readonly pending = new Map<string, { workflow: string; cancel: () => void }>();

  constructor(private readonly ctx: SandboxContext) {}

  consider(workflow: KubeObject, spec: WorkflowSpec): void {
    const podGC = spec.podGC;
    const strategy = podGC?.strategy ?? '';
    if (podGC === undefined || strategy === '') return;
    const namespace = workflow.metadata.namespace ?? '';
    const status = (workflow.status ?? {}) as WorkflowStatus;
    const nodes = status.nodes ?? {};
    const selector = labelSelectorOf(podGC);
    const delayMs = podGCDelayMs(podGC);
    const pods = this.ctx.store.list(Kinds.Pod, {
      namespace,
      labelSelector: LabelSelector.fromLabels({ [WORKFLOW_LABELS.workflow]: workflow.metadata.name ?? '' }),
    }).items;
    for (const pod of pods) {
      const node: NodeStatus | undefined = nodes[pod.metadata.annotations?.[POD_ANNOTATIONS.nodeId] ?? ''];
      if (node === undefined || !isFulfilled(node.phase) || !selector.matches(pod.metadata.labels)) continue;
      if (deletes(strategy, status.phase ?? '', (pod.status as { phase?: string } | undefined)?.phase))
        this.deleteLater(namespace, workflow.metadata.name ?? '', pod.metadata.name ?? '', delayMs);
    }
  }

  /** Forgets the deletions queued for a workflow's pods (the workflow is gone, and its pods with it). */
  forgetWorkflow(namespace: string, workflowName: string): void {
    for (const [key, entry] of this.pending) {
      if (entry.workflow !== `${namespace}/${workflowName}`) continue;
      entry.cancel();
      this.pending.delete(key);
    }
  }

  stop(): void {
    for (const entry of this.pending.values()) entry.cancel();
    this.pending.clear();
  }

  private deleteLater(namespace: string, workflowName: string, name: string, delayMs: number): void {
    const key = `${namespace}/${name}`;
    if (this.pending.has(key)) return;
    const cancel = this.ctx.clock.after(delayMs, () => {
      this.pending.delete(key);
      if (this.ctx.store.get(Kinds.Pod, namespace, name) === undefined) return;
      this.ctx.store.delete(Kinds.Pod, namespace, name);
      this.ctx.logs.deletePod(namespace, name);
    });
    this.pending.set(key, { workflow: `${namespace}/${workflowName}`, cancel });
  }
}

function deletes(strategy: PodGC['strategy'], workflowPhase: string, podPhase: string | undefined): boolean {
  switch (strategy) {
    case 'OnPodCompletion':
      return true;
    case 'OnPodSuccess':
      return podPhase === 'Succeeded';
    case 'OnWorkflowCompletion':
      return ['Succeeded', 'Failed', 'Error'].includes(workflowPhase);
    case 'OnWorkflowSuccess':
      return workflowPhase === 'Succeeded';
    default:
      return false;
  }
}

/** podGC.labelSelector (a metav1.LabelSelector); none selects every pod (GetLabelSelector). */
function labelSelectorOf(podGC: PodGC): LabelSelector {
  const selector = podGC.labelSelector;
  if (selector === undefined) return LabelSelector.everything;
  const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const key = e.key;
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') terms.push(`${key} in (${values})`);
    else if (e.operator === 'NotIn') terms.push(`${key} notin (${values})`);
    else if (e.operator === 'Exists') terms.push(key);
    else if (e.operator === 'DoesNotExist') terms.push(`!${key}`);
  }
  return LabelSelector.parse(terms.join(','));
}
