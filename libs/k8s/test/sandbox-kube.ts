import { KubeConfig } from '@kubernetes/client-node';
import { createContext, serveKubeApi, type SandboxContext } from '@platform/sandbox';

/** The sandbox's Kubernetes API on a real port (HTTPS, its CA in the kubeconfig written to disk). */
export interface SandboxKube {
  ctx: SandboxContext;
  url: string;
  kubeconfigPath: string;
  caPem: string;
  kc: KubeConfig;
  close(): Promise<void>;
}

export async function startSandboxKube(
  options: { historyLimit?: number; bookmarkIntervalMs?: number } = {},
): Promise<SandboxKube> {
  const ctx = createContext({}, 1, options.historyLimit);
  const server = await serveKubeApi(ctx, {
    token: 'k8s-lib-test',
    bookmarkIntervalMs: options.bookmarkIntervalMs,
  });
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
  return {
    ctx,
    url: server.url,
    kubeconfigPath: server.kubeconfigPath,
    caPem: server.caPem,
    kc,
    close: async () => {
      ctx.faults.clear();
      await server.close();
    },
  };
}

/** Polls until `check` stops throwing. */

export { eventually } from '@platform/sandbox';
