import { KubeConfig } from '@kubernetes/client-node';
import {
  createContext,
  kubeApiHandler,
  serve,
  writeKubeconfig,
  type SandboxContext,
} from '@platform/sandbox';
import path from 'node:path';

/** The sandbox's Kubernetes API on a real port, and a KubeConfig for it written to disk. */
export interface SandboxKube {
  ctx: SandboxContext;
  url: string;
  kubeconfigPath: string;
  kc: KubeConfig;
  close(): Promise<void>;
}

export async function startSandboxKube(
  options: { historyLimit?: number; bookmarkIntervalMs?: number } = {},
): Promise<SandboxKube> {
  const ctx = createContext({}, 1, options.historyLimit);
  const server = await serve(
    kubeApiHandler(ctx, { token: 'k8s-lib-test', bookmarkIntervalMs: options.bookmarkIntervalMs }),
  );
  const kubeconfigPath = path.join(ctx.config.dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, server.url, 'k8s-lib-test');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    ctx,
    url: server.url,
    kubeconfigPath,
    kc,
    close: async () => {
      ctx.faults.clear();
      await server.close();
    },
  };
}

/** Polls until `check` stops throwing. */

export { eventually } from '@platform/sandbox';
