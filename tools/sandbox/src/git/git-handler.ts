import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { SandboxContext } from '../core/sandbox-context';
import { authenticate } from './git-login';
import { isGitPath, serveGit } from './git-smart-http';
import { gitStore } from './git-store';
import { giteaApi } from './gitea-api';
import { sendApiError, sendGiteaJson, sendHttpError } from './gitea-errors';

/**
 * The sandbox's git server, a Gitea as far as the platform can tell: Gitea's API v1 under
 * `/api/v1` (see {@link giteaApi}), git's smart HTTP on `/<owner>/<repo>.git` through
 * `git http-backend` (see {@link serveGit}), and Gitea's public `GET /api/healthz`. Organizations
 * own the repositories; the sandbox's one user signs in with Gitea's credentials.
 *
 * Fault knobs of upstream `git`: `latencyMs` delays every request, `errorRate` answers `errorCode`
 * (default 503) instead, which git reports as "The requested URL returned error".
 */
export function gitHandler(ctx: SandboxContext): RequestListener {
  const state = gitStore(ctx);
  const api = giteaApi(state);
  const baseUrl = (req: IncomingMessage): string =>
    ctx.urls.git !== '' ? ctx.urls.git : `http://${req.headers.host ?? ctx.config.host}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    await ctx.faults.delay('git');
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const base = baseUrl(req);
    if (ctx.faults.shouldFail('git')) {
      const status = ctx.faults.get('git').errorCode ?? 503;
      sendHttpError(res, status, 'injected fault');
      return;
    }
    if (url.pathname === '/api/healthz') {
      sendGiteaJson(res, 200, { status: 'pass', description: 'Gitea: Git with a cup of tea' });
      return;
    }
    const isApi = url.pathname.startsWith('/api/v1/') || url.pathname === '/api/v1';
    if (!isApi && !isGitPath(url.pathname)) {
      sendHttpError(res, 404, '404 page not found');
      return;
    }
    const caller = authenticate(req, state.accounts);
    if (caller.kind === 'refused') {
      if (isApi) sendApiError(res, base, 401, 'invalid username, password or token');
      else sendHttpError(res, 401, 'Failed to authenticate user');
      return;
    }
    const user = caller.kind === 'user' ? caller.user : undefined;
    if (isApi) {
      await api({ req, res, caller: user, base }, url);
      return;
    }
    // A clone or push in flight is a stream the fault knobs can cut (dropStreamsEverySec).
    const release = ctx.faults.track({ upstream: 'git', path: url.pathname, drop: () => res.destroy() });
    res.on('close', release);
    await serveGit(state, req, res, url, user);
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendHttpError(res, 500, error instanceof Error ? error.message : String(error));
    });
  };
}
