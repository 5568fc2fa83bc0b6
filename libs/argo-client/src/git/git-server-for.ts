import { HttpTransport, type TransportOptions } from '../http/http-transport';
import { AccessToken } from '../http/token-provider';
import type { GitProvider, GitServer } from './git-server';
import { GitLabGitServer } from './gitlab-git-server';
import { GiteaGitServer } from './gitea-git-server';

export interface GitServerOptions extends Omit<TransportOptions, 'upstream' | 'baseUrl' | 'auth'> {
  provider: GitProvider;
  /** The server's root URL (Gitea's ROOT_URL, GitLab's external URL), a sub-path allowed. */
  url: string;
  /** An access token of the platform's git account. */
  token?: string;
}

/** The {@link GitServer} client of a provider, with the token sent the way that provider takes it. */
export function gitServerFor(options: GitServerOptions): GitServer {
  const { provider, url, token, ...transport } = options;
  const auth =
    token === undefined
      ? undefined
      : new AccessToken(token, provider === 'gitlab' ? { header: 'PRIVATE-TOKEN' } : { scheme: 'token' });
  const http = new HttpTransport({
    ...transport,
    upstream: 'GIT',
    // API paths are relative, so that a server living under a sub-path keeps it.
    baseUrl: url.endsWith('/') ? url : `${url}/`,
    auth,
  });
  return provider === 'gitlab' ? new GitLabGitServer(http) : new GiteaGitServer(http);
}
