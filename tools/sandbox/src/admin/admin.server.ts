import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Router, sendText } from '../core/http-kit';
import type { SandboxContext } from '../core/sandbox-context';
import { StoreError } from '../core/store-errors';
import { KubeApiError } from '../kubernetes/api/status';
import { faultRoutes } from './admin-faults.routes';
import { identityRoutes } from './admin-identity.routes';
import { simulationRoutes, type AdminHooks } from './admin-simulation.routes';
import { type SandboxCaInfo, tlsRoutes } from './admin-tls.routes';
import { AdminError, sendError } from './admin-errors';
import { DevIdentity } from './dev-identity';

export type { AdminHooks } from './admin-simulation.routes';

/** Routes the composition root adds to the admin API (the platform's seeding and team onboarding). */
export type AdminRoutes = (router: Router) => void;

/**
 * The sandbox's admin API (JSON): fault injection per upstream, open stream counts,
 * history expiry, the simulated clock's speed, resets, the crash knob, the registry's content,
 * the sandbox's CA (when given) and the development identity provider (JWKS + tokens). Errors are
 * `{"error": {"code", "message"}}` with 400, 404 or 405. `routes` adds what the composition root
 * brings: the platform's seeding and team onboarding (platform/admin-routes.ts).
 */
export function adminHandler(
  ctx: SandboxContext,
  hooks: AdminHooks = {},
  ca?: SandboxCaInfo,
  routes: readonly AdminRoutes[] = [],
): RequestListener {
  const router = new Router();
  router.on('GET', '/healthz', (_req, res) => sendText(res, 200, 'ok\n'));
  faultRoutes(router, ctx);
  simulationRoutes(router, ctx, hooks);
  for (const add of routes) add(router);
  if (ca !== undefined) tlsRoutes(router, ctx, ca);
  identityRoutes(router, ctx, new DevIdentity());
  return (req, res) => {
    void handle(router, req, res);
  };
}

async function handle(router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://sandbox');
  try {
    const match = router.match(method, url.pathname);
    if (match === undefined) throw AdminError.notFound(`no route for ${method} ${url.pathname}`);
    if (match === 'method')
      throw new AdminError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}`);
    await match.handler(req, res, match.params, url.searchParams);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, asAdminError(error));
  }
}

function asAdminError(error: unknown): AdminError {
  if (error instanceof AdminError) return error;
  if (error instanceof SyntaxError)
    return new AdminError(400, 'BAD_JSON', `the request body is not valid JSON: ${error.message}`);
  if (error instanceof RangeError) return new AdminError(400, 'BAD_REQUEST', error.message);
  if (error instanceof StoreError)
    return new AdminError(error.code, error.reason.toUpperCase(), error.message);
  // What the Kubernetes API refused while onboarding (e.g. the team chart's objects).
  if (error instanceof KubeApiError)
    return new AdminError(error.status.code, (error.status.reason ?? 'Invalid').toUpperCase(), error.message);
  console.error('admin API:', error);
  return new AdminError(500, 'INTERNAL', 'internal error');
}
