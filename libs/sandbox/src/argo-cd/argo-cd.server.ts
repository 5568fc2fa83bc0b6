import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Router, sendText } from '../core/http-kit';
import type { SandboxContext } from '../core/sandbox-context';
import { Gateway, listenerFor } from '../grpc-gateway';
import { applicationDeleteRoutes } from './application-delete.routes';
import { applicationEventRoutes } from './application-events.routes';
import { applicationLogRoutes } from './application-logs.routes';
import { applicationSyncRoutes } from './application-sync.routes';
import { applicationWatchRoutes } from './application-watch.routes';
import { applicationRoutes } from './application.routes';
import { resourceTreeRoutes } from './resource-tree.routes';
import { ArgoCdSessions } from './session';
import { sessionRoutes } from './session.routes';

/**
 * The Argo CD server API (v3.5 wire behaviour, grpc-gateway v1.16 framing): session login,
 * Applications (list, get with refresh, create, update, delete, sync, terminate), watch, resource
 * tree and its stream, events and logs, over `ctx.store` and `ctx.logs`.
 */
export function argoCdHandler(ctx: SandboxContext): RequestListener {
  const sessions = new ArgoCdSessions(ctx.config.argocdUsername, ctx.config.argocdPassword);
  const gateway = new Gateway({
    ctx,
    upstream: 'argocd',
    errorStyle: 'gateway',
    authenticate: (req) => sessions.authenticate(req),
  });
  const router = new Router();
  sessionRoutes(router, gateway, sessions);
  applicationRoutes(router, gateway, ctx);
  applicationDeleteRoutes(router, gateway, ctx);
  applicationSyncRoutes(router, gateway, ctx);
  applicationWatchRoutes(router, gateway, ctx);
  resourceTreeRoutes(router, gateway, ctx);
  applicationEventRoutes(router, gateway, ctx);
  applicationLogRoutes(router, gateway, ctx);
  const routes = listenerFor(router, (_req, res) => sendText(res, 404, 'Not Found\n'));
  return (req, res) => {
    if (!hasAllowedContentType(req)) {
      refuseContentType(res);
      return;
    }
    routes(req, res);
  };
}

/** `enforceContentTypes`: every request but GET must say exactly `application/json`. */
function hasAllowedContentType(req: IncomingMessage): boolean {
  return req.method === 'GET' || (req.headers['content-type'] ?? '').toLowerCase() === 'application/json';
}

/** Go's `http.Error(w, "Invalid content type", 415)`. */
function refuseContentType(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  sendText(res, 415, 'Invalid content type\n');
}
