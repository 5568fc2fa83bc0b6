import type { NodeStatus } from '../../workflow-types';
import type { ExecOptions, Execution } from './execution';

/**
 * A `suspend: {}` template, as Argo's executeSuspend runs it: a node of type Suspend that stays
 * Running (the workflow with it) until the API resumes it (Succeeded) or stops it (Failed) through
 * a node field selector; what the API set is final and the steps go on from there.
 */
export function executeSuspend(
  ex: Execution,
  nodeName: string,
  templateName: string,
  opts: ExecOptions,
): NodeStatus {
  return (
    ex.book.byName(nodeName) ?? ex.book.init(nodeName, 'Suspend', opts.boundaryId, templateName, 'Running')
  );
}

/** Why the sandbox cannot run this suspend template, or undefined: only an open-ended suspend. */
export function suspendProblem(suspend: unknown): string | undefined {
  const duration = (suspend as { duration?: unknown } | null)?.duration;
  return duration === undefined || duration === ''
    ? undefined
    : 'sandbox cannot run a suspend template with a duration: only suspend: {} (resumed through the API)';
}
