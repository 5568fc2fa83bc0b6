import type { Task } from '@platform/domain';
import { ConflictError, ForbiddenError } from '@platform/errors';
import type { Principal } from '@platform/service-runtime';

/**
 * Who may decide a task's approval: a member of its approvers group who did not request it (four
 * eyes: an admin who asked cannot approve their own deploy either), while it waits. Throws the
 * refusal; returns nothing when the caller may decide.
 */
export function refuseApproval(task: Task, principal: Principal, decision: 'approve' | 'reject'): void {
  if (task.approval === null) {
    throw new ConflictError(
      'NO_APPROVAL',
      `task "${task.id}" needs no approval; only a deploy to a protected environment does`,
      {
        id: task.id,
      },
    );
  }
  if (task.phase !== 'Pending approval') {
    throw new ConflictError(
      'NOT_PENDING_APPROVAL',
      `task "${task.id}" is not waiting for an approval (it is ${task.phase}, its approval ${task.approval.state})`,
      { id: task.id, phase: task.phase, approval: task.approval.state },
    );
  }
  if (!principal.groups.includes(task.approval.approvers)) {
    throw new ForbiddenError(
      'NOT_AN_APPROVER',
      `only members of ${task.approval.approvers} may ${decision} task "${task.id}"`,
      { id: task.id, approvers: task.approval.approvers },
    );
  }
  // The submitter writes the requester into an annotation with "," as "%2C" (Argo's k=v,k=v text).
  if (task.requestedBy?.replace(/%2C/g, ',') === principal.id) {
    throw new ForbiddenError(
      'OWN_REQUEST',
      `you requested task "${task.id}": another member of ${task.approval.approvers} must ${decision} it`,
      { id: task.id, approvers: task.approval.approvers },
    );
  }
}
