import type { Template, WorkflowSpec } from '../../workflow-types';
import type { ExecOptions, Execution } from './execution';

/** Argo's message for a step the workflow's deadline stopped (exec_control.go, operator.go). */
export const STEP_DEADLINE_MESSAGE = 'Step exceeded its deadline';

/** When the workflow's activeDeadlineSeconds runs out. */
export interface WorkflowDeadline {
  /** Wall-clock ms at which it passes (simulated seconds scaled by the clock's speed). */
  at: number;
  /** The clock's speed factor: simulated ms per wall ms. */
  speed: number;
}

/**
 * Argo's getWorkflowDeadline (workflow/controller/operator.go): `status.startedAt` truncated to
 * the second plus `spec.activeDeadlineSeconds`; none without either.
 */
export function workflowDeadline(
  spec: WorkflowSpec,
  startedAt: string | null | undefined,
  speed: number,
): WorkflowDeadline | undefined {
  const seconds = spec.activeDeadlineSeconds;
  if (seconds === undefined || startedAt === undefined || startedAt === null) return undefined;
  const started = Math.floor(Date.parse(startedAt) / 1000) * 1000;
  return { at: started + (seconds * 1000) / speed, speed };
}

/** True when the workflow's deadline has passed for this node (exit handlers are not subject to it). */
export function pastWorkflowDeadline(ex: Execution, opts: ExecOptions): boolean {
  return ex.deadline !== undefined && !opts.onExit && ex.now.getTime() > ex.deadline.at;
}

/**
 * The pod's `activeDeadlineSeconds` as Argo's pod builder sets it (workflowpod.go): the
 * template's, or what is left of the workflow's when that is sooner; an exit handler's pod keeps
 * only the template's. Undefined when neither applies.
 */
export function podActiveDeadlineSeconds(
  ex: Execution,
  template: Template,
  opts: ExecOptions,
): number | undefined {
  const own =
    template.activeDeadlineSeconds === undefined ? undefined : Number(template.activeDeadlineSeconds);
  if (ex.deadline === undefined || opts.onExit) return own;
  const left = Math.floor(((ex.deadline.at - ex.now.getTime()) * ex.deadline.speed) / 1000);
  return own === undefined || left < own ? left : own;
}
