import type { KubeObject } from '../../core/kube-object';
import type { ObjectStore } from '../../core/object-store';
import { kubeTime } from '../../core/sim-clock';
import { podName } from '../naming';
import {
  isFailedOrError,
  isFulfilled,
  isWorkflowCompleted,
  type NodeStatus,
  type WorkflowPhase,
  type WorkflowSpec,
  type WorkflowStatus,
} from '../types';
import type { Execution, PodLaunch, PodView } from './execution';
import { globalOutputs, updateProgress, workflowFailures, workflowGlobals } from './globals';
import { NodeBook } from './node-book';
import { resolveWorkflowSpec, SpecError } from './spec';
import { executeTemplate } from './template-node';

/** A `Workflow<...>` event the controller records after saving. */
export interface WorkflowEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What one pass decided; the controller applies it (save, events, pods). */
export interface Operation {
  status: WorkflowStatus;
  labels: Record<string, string>;
  nodeChanges: NodeStatus[];
  workflowEvents: WorkflowEvent[];
  launches: PodLaunch[];
  kills: string[];
  completedPods: string[];
  requeueAfterMs?: number;
}

/**
 * One pass of the controller over a workflow, as Argo's `operate()`: "" becomes Pending, Pending
 * becomes Running, then the entrypoint (and, once it finished, the exit handler) is advanced as
 * far as the pods allow, and a finished workflow gets its final phase, message and labels.
 * Synchronous by design: the workflow is read and its new status computed in one tick, so no
 * concurrent writer can be overwritten. Returns undefined when there is nothing to do.
 */
export function operate(
  store: ObjectStore,
  wf: KubeObject,
  pods: PodView,
  now = new Date(),
): Operation | undefined {
  const status = structuredClone((wf.status ?? {}) as WorkflowStatus);
  const phase = status.phase ?? '';
  if (isWorkflowCompleted(phase)) return undefined;
  const result: Operation = {
    status,
    labels: { ...wf.metadata.labels },
    nodeChanges: [],
    workflowEvents: [],
    launches: [],
    kills: [],
    completedPods: [],
  };
  if (phase === '') {
    setPhase(result, 'Pending');
    status.startedAt ??= null;
    status.finishedAt ??= null;
    result.requeueAfterMs = 0;
    return result;
  }
  const name = wf.metadata.name ?? '';
  let spec: WorkflowSpec;
  try {
    const resolved = resolveWorkflowSpec(store, wf);
    spec = resolved.spec;
    if (resolved.stored !== undefined) status.storedWorkflowTemplateSpec = resolved.stored;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return finish(result, now, 'Error', error.message);
  }
  if (phase === 'Pending') {
    setPhase(result, 'Running');
    status.startedAt = kubeTime(now);
    status.finishedAt = null;
    result.workflowEvents.push({ type: 'Normal', reason: 'WorkflowRunning', message: 'Workflow Running' });
  }
  const nodes = status.nodes ?? {};
  forgetStaleExitHandler(nodes, name);
  const book = new NodeBook(name, nodes, kubeTime(now));
  const shutdown = spec.shutdown === 'Terminate' || spec.shutdown === 'Stop' ? spec.shutdown : '';
  let globals: Map<string, string>;
  try {
    globals = workflowGlobals(wf, spec, globalOutputs(nodes));
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return finish(result, now, 'Error', error.message);
  }
  const completedPods = new Set<string>();
  const ex: Execution = {
    store,
    namespace: wf.metadata.namespace ?? '',
    workflowName: name,
    spec,
    book,
    globals,
    shutdown,
    now,
    pods,
    launches: result.launches,
    kills: result.kills,
    completedPods,
    execute: (nodeName, call, args, opts) => executeTemplate(ex, nodeName, call, args, opts),
  };
  const entry = ex.execute(name, { template: spec.entrypoint }, spec.arguments, {
    boundaryId: '',
    onExit: false,
  });
  let exitNode: NodeStatus | undefined;
  let done = isFulfilled(entry.phase);
  const exitName = `${name}.onExit`;
  // Terminate skips the exit handler, but one already running must still be visited to be killed.
  const runExit = shutdown !== 'Terminate' || book.byName(exitName) !== undefined;
  if (done && spec.onExit !== undefined && spec.onExit !== '' && runExit) {
    globals.set('workflow.status', entry.phase === 'Skipped' ? 'Succeeded' : entry.phase);
    globals.set(
      'workflow.failures',
      workflowFailures(nodes, (n) => podName(name, n.name, n.templateName ?? '')),
    );
    exitNode = ex.execute(exitName, { template: spec.onExit }, spec.arguments, {
      boundaryId: '',
      onExit: true,
    });
    done = isFulfilled(exitNode.phase);
  }

  // A suspended workflow keeps running what runs but starts nothing new until it is resumed.
  if (spec.suspend === true) result.launches.length = 0;
  status.nodes = nodes;
  status.progress = updateProgress(nodes);
  const outputs = globalOutputs(nodes);
  if (outputs.length > 0) status.outputs = { ...status.outputs, parameters: outputs };
  result.nodeChanges = book.changes.map((c) => c.node);
  result.completedPods = [...completedPods];
  if (ex.requeueAfterMs !== undefined) result.requeueAfterMs = ex.requeueAfterMs;
  if (!done) {
    const podRunning = Object.values(nodes).some((n) => n.type === 'Pod' && n.phase === 'Running');
    status.conditions = [{ type: 'PodRunning', status: podRunning ? 'True' : 'False' }];
    return result;
  }
  const { phase: final, message } = outcome(entry, exitNode, shutdown, nodes);
  return finish(result, now, final, message);
}

function setPhase(result: Operation, phase: WorkflowPhase): void {
  result.status.phase = phase;
  result.labels['workflows.argoproj.io/phase'] = phase;
  result.labels['workflows.argoproj.io/completed'] = isWorkflowCompleted(phase) ? 'true' : 'false';
}

function finish(
  result: Operation,
  now: Date,
  phase: 'Succeeded' | 'Failed' | 'Error',
  message: string,
): Operation {
  const { status } = result;
  setPhase(result, phase);
  status.startedAt ??= kubeTime(now);
  status.finishedAt = kubeTime(now);
  if (message !== '') status.message = message;
  else delete status.message;
  status.conditions = [
    { type: 'PodRunning', status: 'False' },
    { type: 'Completed', status: 'True' },
  ];
  result.workflowEvents.push(
    phase === 'Succeeded'
      ? { type: 'Normal', reason: 'WorkflowSucceeded', message: 'Workflow completed' }
      : { type: 'Warning', reason: 'WorkflowFailed', message },
  );
  return result;
}

/**
 * The final phase and message. Deliberate choice: a failed workflow's message is the message of
 * the step that failed first (a pod's "Error (exit code 128): fatal: repository ... not found"),
 * where Argo writes the entry node's ("child '<id>' failed") and leaves the detail on the node.
 * A shut-down workflow says "Stopped with strategy '<Terminate|Stop>'", as Argo does.
 */
function outcome(
  entry: NodeStatus,
  exitNode: NodeStatus | undefined,
  shutdown: string,
  nodes: Record<string, NodeStatus>,
): { phase: 'Succeeded' | 'Failed' | 'Error'; message: string } {
  const stopped = `Stopped with strategy '${shutdown}'`;
  if (isFailedOrError(entry.phase)) {
    const phase = entry.phase === 'Error' ? 'Error' : 'Failed';
    return { phase, message: shutdown !== '' ? stopped : firstFailure(nodes, entry) };
  }
  if (exitNode !== undefined && isFailedOrError(exitNode.phase)) {
    const phase = exitNode.phase === 'Error' ? 'Error' : 'Failed';
    return { phase, message: shutdown !== '' ? stopped : firstFailure(nodes, exitNode) };
  }
  return { phase: 'Succeeded', message: '' };
}

const CONTROL_NODES = new Set(['Steps', 'StepGroup', 'DAG', 'Retry', 'TaskGroup']);

function firstFailure(nodes: Record<string, NodeStatus>, root: NodeStatus): string {
  const onExit = root.name.endsWith('.onExit');
  // An attempt that a later attempt replaced did not fail the workflow.
  const superseded = new Set(
    Object.values(nodes)
      .filter((n) => n.type === 'Retry')
      .flatMap((n) => (n.children ?? []).slice(0, -1)),
  );
  const leaves = Object.values(nodes)
    .filter((n) => isFailedOrError(n.phase) && !CONTROL_NODES.has(n.type) && (n.message ?? '') !== '')
    .filter((n) => !superseded.has(n.id) && n.name.includes('.onExit') === onExit)
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  return leaves[0]?.message ?? root.message ?? '';
}

/**
 * An exit handler runs after the entrypoint finished; if the entrypoint runs again (the server
 * reset the workflow for a retry) the old exit handler nodes are dropped so it runs again, as
 * Argo's retry does.
 */
function forgetStaleExitHandler(nodes: Record<string, NodeStatus>, workflowName: string): void {
  const entry = nodes[workflowName];
  const exitName = `${workflowName}.onExit`;
  if (entry === undefined || isFulfilled(entry.phase)) return;
  for (const [id, node] of Object.entries(nodes)) {
    const rest = node.name.startsWith(exitName) ? node.name.slice(exitName.length) : undefined;
    if (rest !== undefined && (rest === '' || /^[.[(]/.test(rest))) delete nodes[id];
  }
}
