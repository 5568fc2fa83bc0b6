import {
  argoCdHandler,
  argoWorkflowsHandler,
  createContext,
  serve,
  type SandboxContext,
} from '@platform/sandbox';
import { HttpArgoCd } from '../src/argocd/http-argo-cd';
import { ArgoCdSession } from '../src/argocd/session-token';
import { HttpTransport } from '../src/http/http-transport';
import { StaticToken } from '../src/http/token-provider';
import { HttpArgoWorkflows } from '../src/workflows/http-argo-workflows';

/** The sandbox's Argo Workflows and Argo CD servers on real ports, with clients pointed at them. */
export interface SandboxArgo {
  ctx: SandboxContext;
  argoUrl: string;
  argocdUrl: string;
  workflows: HttpArgoWorkflows;
  argocd: HttpArgoCd;
  close(): Promise<void>;
}

export const STREAMS = { idleTimeoutMs: 1500, backoff: { initialMs: 20, maxMs: 200 } };

export async function startSandboxArgo(
  options: { historyLimit?: number; keepaliveMs?: number; watchTimeoutMs?: number } = {},
): Promise<SandboxArgo> {
  const ctx = createContext({ keepaliveMs: options.keepaliveMs ?? 500 }, 1, options.historyLimit);
  const argo = await serve(
    argoWorkflowsHandler(ctx, { watchTimeoutMs: options.watchTimeoutMs, logBatchMs: 50 }),
  );
  const argocd = await serve(argoCdHandler(ctx));
  ctx.urls.argo = argo.url;
  ctx.urls.argocd = argocd.url;
  const workflowsHttp = new HttpTransport({
    upstream: 'ARGO_WORKFLOWS',
    baseUrl: argo.url,
    auth: new StaticToken(ctx.config.argoToken),
    timeoutMs: 3000,
  });
  const login = new HttpTransport({ upstream: 'ARGO_CD', baseUrl: argocd.url, timeoutMs: 3000 });
  const argocdHttp = new HttpTransport({
    upstream: 'ARGO_CD',
    baseUrl: argocd.url,
    auth: new ArgoCdSession(login, ctx.config.argocdUsername, ctx.config.argocdPassword),
    timeoutMs: 3000,
  });
  return {
    ctx,
    argoUrl: argo.url,
    argocdUrl: argocd.url,
    workflows: new HttpArgoWorkflows(workflowsHttp, STREAMS),
    argocd: new HttpArgoCd(argocdHttp, STREAMS),
    close: async () => {
      ctx.faults.clear();
      await argo.close();
      await argocd.close();
    },
  };
}

export { eventually } from '@platform/sandbox';
