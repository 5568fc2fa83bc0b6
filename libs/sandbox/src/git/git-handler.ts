import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import type { SandboxContext } from '../core/sandbox-context';
import { authenticate, GIT_REALM } from './git-auth';
import { serveGitHttpBackend } from './git-cgi';
import { GitRepositories } from './git-repositories';
import { gitRestRouter, sendGitError } from './git-rest';

/** Where the git server keeps its bare repositories. */
export function gitRoot(ctx: SandboxContext): string {
  return path.join(ctx.config.dataDir, 'git');
}

/**
 * The sandbox's git server: smart HTTP (`git clone/fetch/push http://host/<name>.git`) through
 * `git http-backend`, plus a small REST API under `/api/v1/repos` (see {@link gitRestRouter}).
 *
 * - Optional HTTP basic auth when `config.gitUsername`/`gitPassword` are set: a request without
 *   them gets 401 with `WWW-Authenticate: Basic realm="sandbox-git"`, so git retries with the
 *   credentials of the URL (`http://user:pass@host/app.git`) or its credential helper.
 * - Fault knobs of upstream `git`: `latencyMs` delays every request, `errorRate` answers
 *   `errorCode` (default 503) instead, which git reports as "The requested URL returned error".
 * - `http://host/<name>` (without `.git`) also works, as on most git hosts.
 */
export function gitHandler(ctx: SandboxContext): RequestListener {
  const repos = new GitRepositories(gitRoot(ctx));
  const baseUrl = (req: IncomingMessage): string =>
    ctx.urls.git !== '' ? ctx.urls.git : `http://${req.headers.host ?? `${ctx.config.host}`}`;
  const rest = gitRestRouter(repos, baseUrl);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    await ctx.faults.delay('git');
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const isRest = url.pathname.startsWith('/api/');
    if (ctx.faults.shouldFail('git')) {
      const status = ctx.faults.get('git').errorCode ?? 503;
      sendGitError(res, status, status === 503 ? 'UNAVAILABLE' : 'INTERNAL', 'injected fault');
      return;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ok\n');
      return;
    }
    const user = authenticate(req, ctx.config.gitUsername, ctx.config.gitPassword);
    if (user === undefined) {
      const challenge = { 'www-authenticate': `Basic realm="${GIT_REALM}"` };
      if (isRest) {
        res.setHeader('www-authenticate', challenge['www-authenticate']);
        sendGitError(res, 401, 'UNAUTHENTICATED', 'authentication required');
      } else {
        res.writeHead(401, { ...challenge, 'content-type': 'text/plain; charset=utf-8' });
        res.end('Unauthorized\n');
      }
      return;
    }
    if (isRest) {
      const match = rest.match(req.method ?? 'GET', url.pathname);
      if (match === undefined) sendGitError(res, 404, 'NOT_FOUND', `no route for ${url.pathname}`);
      else if (match === 'method')
        sendGitError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method ?? ''} not allowed`);
      else await match.handler(req, res, match.params, url.searchParams);
      return;
    }
    // A clone or push in flight is a stream the fault knobs can cut (dropStreamsEverySec).
    const release = ctx.faults.track({ upstream: 'git', path: url.pathname, drop: () => res.destroy() });
    res.on('close', release);
    serveGitHttpBackend(req, res, {
      projectRoot: repos.root,
      pathInfo: withGitSuffix(decodeURIComponent(url.pathname), repos),
      queryString: url.search.replace(/^\?/, ''),
      remoteUser: user,
    });
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendGitError(res, 500, 'INTERNAL', error instanceof Error ? error.message : String(error));
    });
  };
}

/** Maps `/<name>/info/refs` to `/<name>.git/info/refs` when only the `.git` folder exists. */
function withGitSuffix(pathname: string, repos: GitRepositories): string {
  const m = /^\/([^/]+)(\/.*)?$/.exec(pathname);
  if (m === null) return pathname;
  const first = m[1] ?? '';
  if (first.endsWith('.git') || !repos.exists(first)) return pathname;
  return `/${first}.git${m[2] ?? ''}`;
}
