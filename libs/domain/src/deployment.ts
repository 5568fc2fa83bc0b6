/** Why an environment's image changed. */
export const DEPLOY_REASONS = ['deploy', 'promotion', 'rollback'] as const;
export type DeployReason = (typeof DEPLOY_REASONS)[number];

/**
 * One change of what an environment runs, as the manifests repository records it: the cd
 * workflow's commit to `chart/values-<environment>.yaml` and its `Platform-*` trailers. A commit
 * made outside the platform (by hand, or create-app's first render) has `reason: null` and no
 * image: the history shows it happened, not what it deployed.
 */
export interface Deployment {
  environment: string;
  /** The manifests commit (full sha). */
  manifestsCommit: string;
  /** Its first line. */
  summary: string;
  reason: DeployReason | null;
  /** `<registry>/<team>/<app>:<tag>` */
  image: string | null;
  tag: string | null;
  /** The digest the environment runs the image by. */
  digest: string | null;
  /** A promotion's source environment, or the commit a rollback restored. */
  origin: string | null;
  /** Who asked the platform for it (the principal id), null for a commit made outside it. */
  requestedBy: string | null;
  /** The cd task (workflow) that made the commit; it may since have been garbage-collected. */
  task: string | null;
  committedAt: string;
}
