import { NotFoundError } from '@platform/errors';
import type { ProbeOptions } from '../health/upstream-probe';
import type { HttpTransport } from '../http/http-transport';
import { GitServer, type GitRepository } from './git-server';

/** {@link GitServer} over HTTP (`/api/v1/repos/{name}`, Gitea-style; `/healthz` answers without login). */
export class HttpGitServer extends GitServer {
  constructor(private readonly http: HttpTransport) {
    super();
  }

  async health(options: ProbeOptions = {}): Promise<void> {
    await this.http.request<string>('GET', '/healthz', {
      timeoutMs: options.timeoutMs,
      maxRetries: 0,
      responseType: 'text',
    });
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
