import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Router, sendText } from '../../core/http-kit';
import type { SandboxContext } from '../../core/sandbox-context';
import { Gateway, listenerFor } from '../../grpc-gateway';
import { applicationDeleteRoutes } from './application-delete.routes';
import { applicationEventRoutes } from './application-events.routes';
import { applicationLogRoutes } from './application-logs.routes';
import { applicationSyncRoutes } from './application-sync.routes';
import { applicationWatchRoutes } from './application-watch.routes';
import { applicationRoutes } from './application.routes';
import { ensureDefaultProject } from '../shared/app-projects';
import { projectRoutes } from './project.routes';
import { resourceTreeRoutes } from './resource-tree.routes';
import { ApplicationAccess } from './application-access';
import { ArgoCdSettings, ensureArgoCdSettings } from './argocd-settings';
import { ArgoCdSessions, type ArgoCdCaller } from './session';
import { sessionRoutes } from './session.routes';

/**
 * The Argo CD server API (v3.5 wire behaviour, grpc-gateway v1.16 framing): session login with
 * the local accounts and RBAC of argocd-cm / argocd-secret / argocd-rbac-cm,
 * Applications (list, get with refresh, create, update, delete, sync, terminate) checked against
 * their AppProjects, watch, resource tree and its stream, events and logs, and the projects
 * (list, get), over `ctx.store` and `ctx.logs`. The `default` project is created at start, as
 * the real server does.
 */
export function argoCdHandler(ctx: SandboxContext): RequestListener {
  ensureArgoCdSettings(ctx);
  ensureDefaultProject(ctx);
  const settings = new ArgoCdSettings(ctx);
  const sessions = new ArgoCdSessions(settings);
  const access = new ApplicationAccess(ctx, settings);
  const gateway = new Gateway<ArgoCdCaller>({
    ctx,
    upstream: 'argocd',
    errorStyle: 'gateway',
    authenticate: (req) => sessions.authenticate(req),
  });
  const router = new Router();
  sessionRoutes(router, gateway, sessions);
  applicationRoutes(router, gateway, ctx, access);
  applicationDeleteRoutes(router, gateway, ctx, access);
  applicationSyncRoutes(router, gateway, ctx, access);
  applicationWatchRoutes(router, gateway, ctx, access);
  resourceTreeRoutes(router, gateway, ctx, access);
  applicationEventRoutes(router, gateway, ctx, access);
  applicationLogRoutes(router, gateway, ctx, access);
  projectRoutes(router, gateway, ctx, settings);
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
