import type { ProbeOptions } from '../health/upstream-probe';
import type { HttpTransport } from '../http/http-transport';
import {
  GitServer,
  unlessNotFound,
  type GitCommit,
  type GitOrganization,
  type GitRepository,
} from './git-server';

/** The fields of GitLab's project entity (API v4) this client reads. */
interface GitLabProject {
  path: string;
  path_with_namespace: string;
  namespace: { full_path: string };
  http_url_to_repo: string;
  visibility: 'private' | 'internal' | 'public';
  default_branch?: string | null;
}

/**
 * {@link GitServer} on GitLab's API v4 (`/api/v4`). Projects and groups are addressed by their
 * URL-encoded path (`payments%2Fshop`). The transport's base URL must end with `/` and carry the
 * token in the `PRIVATE-TOKEN` header.
 */
export class GitLabGitServer extends GitServer {
  constructor(private readonly http: HttpTransport) {
    super();
  }

  /** `GET /api/v4/version`, which needs a valid token (401 otherwise). */
  async health(options: ProbeOptions = {}): Promise<void> {
    await this.http.request('GET', 'api/v4/version', { timeoutMs: options.timeoutMs, maxRetries: 0 });
  }

  async findRepository(owner: string, name: string): Promise<GitRepository | undefined> {
    const project = await unlessNotFound(
      this.http.request<GitLabProject>('GET', `api/v4/projects/${encodeURIComponent(`${owner}/${name}`)}`),
    );
    return (
      project && {
        owner: project.namespace.full_path,
        name: project.path,
        fullName: project.path_with_namespace,
        cloneUrl: project.http_url_to_repo,
        // `internal` projects are readable by every signed-in user: not private.
        private: project.visibility === 'private',
        defaultBranch: project.default_branch ?? undefined,
      }
    );
  }

  async findOrganization(name: string): Promise<GitOrganization | undefined> {
    const group = await unlessNotFound(
      this.http.request<{ full_path: string }>('GET', `api/v4/groups/${encodeURIComponent(name)}`),
    );
    return group && { name: group.full_path };
  }

  /**
   * `GET /projects/:id/repository/commits?ref_name=&path=&per_page=`: newest first; a project or
   * ref GitLab does not have answers 404, which is "none" here.
   */
  async fileHistory(
    owner: string,
    name: string,
    options: { path: string; ref: string; limit: number },
  ): Promise<GitCommit[]> {
    const commits = await unlessNotFound(
      this.http.request<GitLabCommit[]>(
        'GET',
        `api/v4/projects/${encodeURIComponent(`${owner}/${name}`)}/repository/commits`,
        {
          query: {
            ref_name: options.ref,
            path: options.path,
            per_page: String(Math.min(options.limit, 100)),
          },
        },
      ),
    );
    return (commits ?? []).map((c) => ({
      sha: c.id,
      message: c.message,
      authorName: c.author_name,
      authorEmail: c.author_email,
      committedAt: c.committed_date,
    }));
  }
}

/** The fields of GitLab's commit (REST API `Commits`) this client reads. */
interface GitLabCommit {
  id: string;
  message: string;
  author_name: string;
  author_email: string;
  committed_date: string;
}
