import type { NodeStatus } from '../../workflow-types';
import { pastWorkflowDeadline, STEP_DEADLINE_MESSAGE } from './deadlines';
import { isBlocked, requeue, type ExecOptions, type Execution } from './execution';

/**
 * A `suspend: {}` template, as Argo's executeSuspend runs it: a node of type Suspend that stays
 * Running (the workflow with it) until the API resumes it (Succeeded) or stops it (Failed) through
 * a node field selector; what the API set is final and the steps go on from there. A workflow
 * stopped or terminated, or past its deadline, fails a waiting node outside its exit handler as
 * operator.go's failNodesWithoutCreatedPodsAfterDeadlineOrShutdown does, so it ends too.
 */
export function executeSuspend(
  ex: Execution,
  nodeName: string,
  templateName: string,
  opts: ExecOptions,
): NodeStatus {
  const node =
    ex.book.byName(nodeName) ?? ex.book.init(nodeName, 'Suspend', opts.boundaryId, templateName, 'Running');
  if (node.phase !== 'Running') return node;
  if (isBlocked(ex, opts)) return ex.book.mark(node, 'Failed', `Stopped with strategy '${ex.shutdown}'`);
  if (pastWorkflowDeadline(ex, opts)) return ex.book.mark(node, 'Failed', STEP_DEADLINE_MESSAGE);
  // Looked at again when the deadline comes, with nothing else to wake the workflow.
  if (ex.deadline !== undefined && !opts.onExit) requeue(ex, ex.deadline.at - ex.now.getTime() + 1);
  return node;
}

/** Why the sandbox cannot run this suspend template, or undefined: only an open-ended suspend. */
export function suspendProblem(suspend: unknown): string | undefined {
  const duration = (suspend as { duration?: unknown } | null)?.duration;
  return duration === undefined || duration === ''
    ? undefined
    : 'sandbox cannot run a suspend template with a duration: only suspend: {} (resumed through the API)';
}
