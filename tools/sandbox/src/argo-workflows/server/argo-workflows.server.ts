import type { RequestListener } from 'node:http';
import { sendJson, Router } from '../../core/http-kit';
import type { SandboxContext } from '../../core/sandbox-context';
import { Gateway, GrpcCode, listenerFor, unaryErrorBody, GrpcError } from '../../grpc-gateway';
import { argoAuthenticator } from './argo-auth';
import { logRoutes } from './logs.routes';
import { watchRoutes } from './watch.routes';
import { workflowActionRoutes } from './workflow-actions.routes';
import { workflowTemplateRoutes } from './workflow-template.routes';
import { workflowRoutes } from './workflow.routes';

/** Knobs of the Argo Workflows server that tests shorten. */
export interface ArgoWorkflowsServerOptions {
  /**
   * Idle time after which a watch (workflow-events, stream/events) ends with the error frame
   * grpc_code 8 / "EOF", as it does on the real server when the Kubernetes watch underneath times out.
   * Default 5 minutes.
   */
  watchTimeoutMs?: number;
  /** Interval at which buffered workflow log lines are sorted and sent (1 s on the real server). */
  logBatchMs?: number;
}

/**
 * The Argo Workflows server API (v4.1 wire behaviour, grpc-gateway v1.16 framing): workflows,
 * submit from templates, actions, templates, watches and logs, over `ctx.store` and `ctx.logs`.
 */
export function argoWorkflowsHandler(
  ctx: SandboxContext,
  options: ArgoWorkflowsServerOptions = {},
): RequestListener {
  const gateway = new Gateway({
    ctx,
    upstream: 'argo',
    errorStyle: 'status',
    authenticate: argoAuthenticator(ctx.config.argoToken),
  });
  const router = new Router();
  router.on(
    'GET',
    '/api/v1/version',
    gateway.unary(() => Promise.resolve(VERSION)),
  );
  workflowRoutes(router, gateway, ctx);
  workflowActionRoutes(router, gateway, ctx);
  workflowTemplateRoutes(router, gateway, ctx);
  watchRoutes(router, gateway, ctx, options.watchTimeoutMs ?? 5 * 60_000);
  logRoutes(router, gateway, ctx, options.logBatchMs ?? 1000);
  // grpc-gateway's mux with the proto error handler answers unknown paths Unimplemented.
  return listenerFor(router, (_req, res) =>
    sendJson(res, 501, unaryErrorBody(new GrpcError(GrpcCode.Unimplemented, 'Not Implemented'), 'status')),
  );
}

const VERSION = {
  version: 'v4.1.2',
  buildDate: '2025-01-01T00:00:00Z',
  gitCommit: '16a52d67daf2f4a8a76fa8bec02a76a46aa46257',
  gitTag: 'v4.1.2',
  gitTreeState: 'clean',
  goVersion: 'go1.24',
  compiler: 'gc',
  platform: 'linux/amd64',
};
