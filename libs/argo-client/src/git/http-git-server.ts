import { NotFoundError } from '@platform/errors';
import type { HttpTransport } from '../http/http-transport';
import { GitServer, type GitRepository } from './git-server';

/** {@link GitServer} over HTTP (`/api/v1/repos/{name}`, Gitea-style). */
export class HttpGitServer extends GitServer {
  constructor(private readonly http: HttpTransport) {
    super();
  }

  async find(name: string): Promise<GitRepository | undefined> {
    try {
      return await this.http.request<GitRepository>('GET', `/api/v1/repos/${encodeURIComponent(name)}`);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
}
