import type { ProbeOptions } from '../health/upstream-probe';

/** A repository on the git server, as its REST API describes it. */
export interface GitRepository {
  name: string;
  cloneUrl: string;
  defaultBranch?: string;
}

/**
 * The git server's REST API: the one part of git hosting with no git command (creating, finding and
 * deleting repositories). Clones and pushes go through git itself, in the workflows.
 */
export abstract class GitServer {
  /** Resolves when the server's health endpoint answers OK (readiness probes use it). */
  abstract health(options?: ProbeOptions): Promise<void>;

  /** The repository, or undefined when there is none by that name. */
  abstract find(name: string): Promise<GitRepository | undefined>;
}
