import { NotFoundError } from '@platform/errors';
import type { ProbeOptions } from '../health/upstream-probe';

/** The git hosting products the platform can create repositories with. */
export const GIT_PROVIDERS = ['gitea', 'gitlab'] as const;
export type GitProvider = (typeof GIT_PROVIDERS)[number];

/** A repository of the git server, as its API describes it. */
export interface GitRepository {
  /** The organization (GitLab: group) or user that owns it. */
  owner: string;
  name: string;
  /** `owner/name` */
  fullName: string;
  /** What `git clone` takes: `<base>/<owner>/<name>.git`. */
  cloneUrl: string;
  private: boolean;
  defaultBranch?: string;
}

/** An organization (GitLab: group) of the git server: the platform keeps one per team. */
export interface GitOrganization {
  name: string;
}

/** A commit as the git server's API lists it. */
export interface GitCommit {
  sha: string;
  /** The whole message: subject, body and trailers. */
  message: string;
  authorName: string;
  authorEmail: string;
  /** When it was committed (ISO 8601). */
  committedAt: string;
}

/**
 * The git server's API: the one part of git hosting with no git command (finding repositories and
 * organizations). Clones and pushes go through git itself, and repositories are created by the
 * create-app workflow, with the same provider's API.
 */
export abstract class GitServer {
  /** Resolves when the server answers its API with the configured credentials (readiness probes). */
  abstract health(options?: ProbeOptions): Promise<void>;

  /** The repository `owner/name`, or undefined when there is none (or it is hidden from us). */
  abstract findRepository(owner: string, name: string): Promise<GitRepository | undefined>;

  /** The organization (GitLab: group), or undefined when there is none (or it is hidden from us). */
  abstract findOrganization(name: string): Promise<GitOrganization | undefined>;

  /**
   * The newest commits of `ref` that touch `path`, newest first, at most one page (50 on Gitea,
   * `limit` on GitLab); an empty list when there are none (or no such repository).
   */
  abstract fileHistory(
    owner: string,
    name: string,
    options: { path: string; ref: string; limit: number },
  ): Promise<GitCommit[]>;
}

/** undefined for a 404, the value otherwise; other failures are thrown. */
export async function unlessNotFound<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
