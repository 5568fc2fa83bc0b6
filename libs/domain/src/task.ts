/** `delete` retires an app (DELETE /apps/{app}): its Applications pruned, its repositories archived. */
export const TASK_TYPES = ['create', 'ci', 'cd', 'delete'] as const;
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

/** What a delete (retire) task did. */
export interface DeleteResult {
  /** The Argo CD Applications deleted with their resources (or found gone already). */
  deletedApplications: string[];
  /** `<team>/<repo>` of each repository renamed and archived. */
  archivedRepositories: string[];
}

export type TaskResult = CreateResult | CiResult | CdResult | DeleteResult;

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
