import type { KubeObject } from '../../../core/kube-object';
import type { ObjectStore } from '../../../core/object-store';
import type {
  Arguments,
  NodeStatus,
  Template,
  TemplateCall,
  Volume,
  WorkflowSpec,
} from '../../workflow-types';
import type { WorkflowDeadline } from './deadlines';
import type { NodeBook } from './node-book';

/** Where a template runs in the node tree. */
export interface ExecOptions {
  /** Id of the enclosing Steps/DAG node ('' at the top). */
  boundaryId: string;
  /** True inside the exit handler, which still runs under the Stop strategy. */
  onExit: boolean;
  /** True for an attempt below a Retry node (the retry strategy is not applied again). */
  retryAttempt?: boolean;
}

/** A pod the controller must start once the status is saved. */
export interface PodLaunch {
  nodeId: string;
  nodeName: string;
  podName: string;
  /** The template with inputs and variables substituted. */
  template: Template;
  /** The pod's activeDeadlineSeconds (kubelet fails it once it ran that long). */
  activeDeadlineSeconds?: number;
  /** The executor account's token Secret, mounted into Argo's wait container only. */
  executorTokenSecret?: string;
  /** spec.volumes with the workflow's parameters substituted (substituteParamsInVolumes). */
  workflowVolumes?: Volume[];
}

/** What the operation needs to know about pods without owning them. */
export interface PodView {
  get(podName: string): KubeObject | undefined;
  /** True while this controller is running the pod's containers. */
  isRunning(podName: string): boolean;
}

/** The state of one pass over a workflow (Argo's wfOperationCtx). */
export interface Execution {
  store: ObjectStore;
  namespace: string;
  workflowName: string;
  spec: WorkflowSpec;
  book: NodeBook;
  globals: Map<string, string>;
  shutdown: '' | 'Terminate' | 'Stop';
  now: Date;
  /** The workflow's activeDeadlineSeconds, once it started. */
  deadline?: WorkflowDeadline;
  pods: PodView;
  launches: PodLaunch[];
  kills: string[];
  /** Pods whose node has finished: they get `workflows.argoproj.io/completed=true`. */
  completedPods: Set<string>;
  /** Operate again after this many simulated ms (retry backoff); the smallest wins. */
  requeueAfterMs?: number;
  /** Runs (or advances) a template as the node `nodeName`. */
  execute(
    nodeName: string,
    call: Pick<TemplateCall, 'template' | 'templateRef'>,
    args: Arguments | undefined,
    opts: ExecOptions,
  ): NodeStatus;
}

/** True when the shutdown strategy forbids running (more of) this node. */
export function isBlocked(ex: Execution, opts: ExecOptions): boolean {
  return ex.shutdown !== '' && !(ex.shutdown === 'Stop' && opts.onExit);
}

export function requeue(ex: Execution, afterMs: number): void {
  ex.requeueAfterMs = Math.min(ex.requeueAfterMs ?? Number.POSITIVE_INFINITY, Math.max(0, afterMs));
}

/** Variables a finished step or task contributes to its siblings (`steps.<name>.*`, `tasks.<name>.*`). */
export function addNodeScope(scope: Map<string, string>, prefix: string, node: NodeStatus): void {
  scope.set(`${prefix}.id`, node.id);
  scope.set(`${prefix}.status`, node.phase);
  if (node.startedAt !== null) scope.set(`${prefix}.startedAt`, node.startedAt);
  if (node.finishedAt !== null) scope.set(`${prefix}.finishedAt`, node.finishedAt);
  const outputs = node.outputs;
  if (outputs === undefined) return;
  if (outputs.result !== undefined) scope.set(`${prefix}.outputs.result`, outputs.result);
  if (outputs.exitCode !== undefined) scope.set(`${prefix}.exitCode`, outputs.exitCode);
  for (const p of outputs.parameters ?? []) {
    if (p.value !== undefined) scope.set(`${prefix}.outputs.parameters.${p.name}`, p.value);
  }
  scope.set(
    `${prefix}.outputs.parameters`,
    JSON.stringify((outputs.parameters ?? []).map((p) => ({ name: p.name, value: p.value ?? '' }))),
  );
}

/** Why the sandbox cannot run a step or task as written, or undefined when it can. */
export function unsupportedCall(call: Record<string, unknown>): string | undefined {
  for (const loop of ['withItems', 'withParam', 'withSequence']) {
    if (call[loop] !== undefined)
      return `sandbox does not expand ${loop} loops (step or task "${String(call.name)}")`;
  }
  if (call.onExit !== undefined || call.hooks !== undefined) {
    return `sandbox does not run step-level onExit or hooks (step or task "${String(call.name)}"); use the workflow's onExit`;
  }
  return undefined;
}
