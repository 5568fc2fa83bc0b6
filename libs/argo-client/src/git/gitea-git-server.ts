import { ConflictError, PlatformError } from '@platform/errors';
import type { ProbeOptions } from '../health/upstream-probe';
import type { HttpTransport } from '../http/http-transport';
import {
  GitServer,
  unlessNotFound,
  type GitCommit,
  type GitOrganization,
  type GitRepository,
} from './git-server';

/** The fields of Gitea's Repository (swagger `#/definitions/Repository`) this client reads. */
interface GiteaRepository {
  name: string;
  full_name: string;
  owner: { login: string };
  clone_url: string;
  private: boolean;
  default_branch?: string;
}

/** The fields of Gitea's Commit (swagger `#/definitions/Commit`) this client reads. */
interface GiteaCommit {
  sha: string;
  commit: { message: string; author: { name: string; email: string }; committer: { date: string } };
}

/**
 * {@link GitServer} on Gitea's or Forgejo's API v1 (`/api/v1`, the instance's ROOT_URL may have a
 * sub-path). The transport's base URL must end with `/` and carry the token with the `token`
 * scheme (`Authorization: token <t>`).
 */
export class GiteaGitServer extends GitServer {
  constructor(private readonly http: HttpTransport) {
    super();
  }

  /** `GET /api/v1/version`: public, but a token Gitea does not know is refused with 401. */
  async health(options: ProbeOptions = {}): Promise<void> {
    await this.http.request('GET', 'api/v1/version', { timeoutMs: options.timeoutMs, maxRetries: 0 });
  }

  /**
   * A repository's former name (a rename left it) is answered with a 301 to the new one
   * (`RedirectToRepo`) until a new repository takes it: no repository has that name, so undefined.
   */
  async findRepository(owner: string, name: string): Promise<GitRepository | undefined> {
    const repo = await unlessMoved(
      unlessNotFound(
        this.http.request<GiteaRepository>('GET', `api/v1/repos/${segment(owner)}/${segment(name)}`),
      ),
    );
    return (
      repo && {
        owner: repo.owner.login,
        name: repo.name,
        fullName: repo.full_name,
        cloneUrl: repo.clone_url,
        private: repo.private,
        defaultBranch: repo.default_branch,
      }
    );
  }

  async findOrganization(name: string): Promise<GitOrganization | undefined> {
    const org = await unlessNotFound(
      this.http.request<{ name: string }>('GET', `api/v1/orgs/${segment(name)}`),
    );
    return org && { name: org.name };
  }

  fileHistory(
    owner: string,
    name: string,
    options: { path: string; ref: string; limit: number },
  ): Promise<GitCommit[]> {
    return giteaFileHistory(this.http, owner, name, options);
  }
}

/**
 * `GET /repos/{owner}/{repo}/commits?sha=&path=`: with a path Gitea ignores `limit` and pages by
 * 50; it answers 404 when no commit touches the path and 409 for an empty repository, both "none"
 * here. stat, verification and files are turned off: they cost Gitea a diff per commit.
 */
async function giteaFileHistory(
  http: HttpTransport,
  owner: string,
  name: string,
  options: { path: string; ref: string; limit: number },
): Promise<GitCommit[]> {
  let commits: GiteaCommit[] | undefined;
  try {
    commits = await unlessNotFound(
      http.request<GiteaCommit[]>('GET', `api/v1/repos/${segment(owner)}/${segment(name)}/commits`, {
        query: { sha: options.ref, path: options.path, stat: 'false', verification: 'false', files: 'false' },
      }),
    );
  } catch (error) {
    if (error instanceof ConflictError) return [];
    throw error;
  }
  return (commits ?? []).slice(0, options.limit).map((c) => ({
    sha: c.sha,
    message: c.commit.message,
    authorName: c.commit.author.name,
    authorEmail: c.commit.author.email,
    committedAt: c.commit.committer.date,
  }));
}

/**
 * undefined when Gitea answered with a redirect (the transport follows none), the value otherwise.
 * Any redirect counts: a proxy that redirected every call (say to https) would fail the readiness
 * probe and every other call first, so it cannot pass for a free name unnoticed.
 */
async function unlessMoved<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof PlatformError && REDIRECTS.has(error.details?.status)) return undefined;
    throw error;
  }
}

const REDIRECTS = new Set<unknown>([301, 302, 307, 308]);

function segment(value: string): string {
  return encodeURIComponent(value);
}
