import type { Task, TaskPhase, TaskType } from '@platform/domain';

export type { AppTemplate, Deployment, DeployReason, TemplateParameter } from '@platform/domain';

export interface CreateAppRequest {
  /** A DNS-1123 label. */
  name: string;
  /** A team you are in. */
  team: string;
  template: string;
  /** Values of the template's parameters; left-out ones take their defaults. */
  parameters?: Record<string, string | number | boolean>;
  /** The environment of the first sync; the first configured one by default. */
  environment?: string;
}

export interface BuildRequest {
  /** Branch, tag or commit (default `main`). */
  ref?: string;
}

export interface DeployRequest {
  environment: string;
  /** The tag of the app's image in the registry (a build result's image tag). */
  tag: string;
}

/** Deploys to `to` exactly the image (by digest) that `from` runs. */
export interface PromotionRequest {
  from: string;
  to: string;
}

/** Restores an earlier deploy of an environment: `to` is its cd task id or manifests commit. */
export interface RollbackRequest {
  environment: string;
  to: string;
}

export interface DeploymentHistoryQuery {
  /** One environment; all of the app's without it. */
  environment?: string;
  /** 1 to 50, default 20. */
  limit?: number;
}

export interface ListTasksQuery {
  app?: string;
  type?: TaskType;
  phase?: TaskPhase;
  /** 1 to 100 (default 20). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface TaskPage {
  items: Task[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Options of every POST that starts or changes a task. */
export interface SubmitOptions {
  /**
   * Retry safely: the same key and body return the same task (a second run never starts); the
   * same key with another body is refused with 409 `IDEMPOTENCY_KEY_REUSED`.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}
