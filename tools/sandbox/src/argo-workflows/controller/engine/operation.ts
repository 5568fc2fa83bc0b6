import type { KubeObject } from '../../../core/kube-object';
import type { ObjectStore } from '../../../core/object-store';
import { kubeTime } from '../../../core/sim-clock';
import { podName } from '../naming';
import {
  isFulfilled,
  isWorkflowCompleted,
  type NodeStatus,
  type WorkflowPhase,
  type WorkflowSpec,
  type WorkflowStatus,
} from '../../workflow-types';
import { workflowDeadline } from './deadlines';
import { requeue, type Execution, type PodLaunch, type PodView } from './execution';
import { globalOutputs, updateProgress, workflowFailures, workflowGlobals } from './globals';
import { NodeBook } from './node-book';
import { resolveWorkflowSpec, SpecError } from './spec';
import { executeTemplate } from './template-node';
import { forgetStaleExitHandler, outcome } from './workflow-outcome';

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
  speed = 1,
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
  const deadline = workflowDeadline(spec, status.startedAt, speed);
  const ex: Execution = {
    store,
    namespace: wf.metadata.namespace ?? '',
    workflowName: name,
    spec,
    book,
    globals,
    shutdown,
    now,
    ...(deadline !== undefined ? { deadline } : {}),
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
  // Argo requeues a workflow for its deadline: a pass must come then even if no pod moves.
  if (deadline !== undefined && deadline.at > now.getTime())
    requeue(ex, (deadline.at - now.getTime()) * speed + 1);
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
