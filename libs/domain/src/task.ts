export const TASK_TYPES = ['create', 'ci', 'cd'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** `Pending approval`: a deploy to a protected environment waits for an approver. */
export const TASK_PHASES = [
  'Pending',
  'Running',
  'Pending approval',
  'Succeeded',
  'Failed',
  'Cancelled',
] as const;
export type TaskPhase = (typeof TASK_PHASES)[number];

export type StepPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Skipped';

export interface TaskStep {
  name: string;
  phase: StepPhase;
  startedAt: string | null;
  finishedAt: string | null;
  message: string | null;
}

/** What a create-app task produced. */
export interface CreateResult {
  sourceRepoUrl: string | null;
  sourceCommit: string | null;
  manifestsRepoUrl: string | null;
  manifestsCommit: string | null;
  argocdApp: string | null;
}

/** What a CI task produced. */
export interface CiResult {
  image: string | null;
  digest: string | null;
  commit: string | null;
}

/** What a CD task produced. */
export interface CdResult {
  environment: string | null;
  image: string | null;
  /** The image's digest, as the registry answered for its tag when the deploy was accepted. */
  digest: string | null;
  manifestsCommit: string | null;
  syncedRevision: string | null;
  health: string | null;
}

export type TaskResult = CreateResult | CiResult | CdResult;

/** The approval a deploy to a protected environment needs. */
export interface TaskApproval {
  state: 'pending' | 'approved' | 'rejected';
  /** The group whose members may approve or reject it (never the requester). */
  approvers: string;
  /** The approval step's message: who rejected it and why. */
  message: string | null;
}

/**
 * A task as the portal sees it. A task IS an Argo Workflow: its id is the workflow's name and
 * every field is derived from the workflow (see `taskFromWorkflow`).
 */
export interface Task {
  id: string;
  type: TaskType | null;
  app: string | null;
  team: string | null;
  phase: TaskPhase;
  progress: { done: number; total: number };
  steps: TaskStep[];
  parameters: Record<string, string>;
  result: TaskResult | null;
  error: { step: string | null; message: string } | null;
  /** Set for a deploy that needs an approval, null otherwise. */
  approval: TaskApproval | null;
  requestedBy: string | null;
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  links: { self: string; stream: string };
}
