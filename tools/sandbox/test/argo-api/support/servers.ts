import { argoCdHandler } from '../../../src/argo-cd/server/argo-cd.server';
import { argoWorkflowsHandler, type ArgoWorkflowsServerOptions } from '../../../src/argo-workflows/server';
import { createContext } from '../../../src/core/create-context';
import type { SandboxConfig, SandboxContext } from '../../../src/core/sandbox-context';
import { serve } from '../../../src/testing/serve';
import { request, type HttpResult } from './raw-http';

export interface RunningServer {
  ctx: SandboxContext;
  url: string;
  close(): Promise<void>;
}

/** Small keepalive and watch timeouts keep the suites fast. */
const FAST: Partial<SandboxConfig> = { keepaliveMs: 40 };

export async function startArgoWorkflows(
  options: ArgoWorkflowsServerOptions = {},
  config: Partial<SandboxConfig> = {},
  historyLimit?: number,
): Promise<
  RunningServer & {
    call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  }
> {
  const ctx = createContext({ ...FAST, ...config }, 1, historyLimit);
  const server = await serve(
    argoWorkflowsHandler(ctx, { logBatchMs: 20, watchTimeoutMs: 60_000, ...options }),
  );
  ctx.urls.argo = server.url;
  const auth = { Authorization: `Bearer ${ctx.config.argoToken}` };
  return {
    ctx,
    url: server.url,
    close: server.close,
    call: (method, path, body, headers = {}) =>
      request(server.url, method, path, { body, headers: { ...auth, ...headers } }),
  };
}

export async function startArgoCd(config: Partial<SandboxConfig> = {}): Promise<
  RunningServer & {
    token: string;
    call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  }
> {
  const ctx = createContext({ ...FAST, ...config });
  const server = await serve(argoCdHandler(ctx));
  ctx.urls.argocd = server.url;
  const login = await request(server.url, 'POST', '/api/v1/session', {
    body: { username: ctx.config.argocdUsername, password: ctx.config.argocdPassword },
    headers: { 'Content-Type': 'application/json' },
  });
  const token = (login.json as { token: string }).token;
  return {
    ctx,
    url: server.url,
    token,
    close: server.close,
    call: (method, path, body, headers = {}) =>
      request(server.url, method, path, {
        body,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(method === 'GET' ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
      }),
  };
}
