import type { ProbeOptions } from '../health/upstream-probe';
import type { HttpTransport } from '../http/http-transport';
import { GitServer, unlessNotFound, type GitOrganization, type GitRepository } from './git-server';

/** The fields of Gitea's Repository (swagger `#/definitions/Repository`) this client reads. */
interface GiteaRepository {
  name: string;
  full_name: string;
  owner: { login: string };
  clone_url: string;
  private: boolean;
  default_branch?: string;
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

  async findRepository(owner: string, name: string): Promise<GitRepository | undefined> {
    const repo = await unlessNotFound(
      this.http.request<GiteaRepository>('GET', `api/v1/repos/${segment(owner)}/${segment(name)}`),
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
}

function segment(value: string): string {
  return encodeURIComponent(value);
}
