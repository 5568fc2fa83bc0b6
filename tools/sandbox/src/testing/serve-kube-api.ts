import path from 'node:path';
import type { SandboxContext } from '../core/sandbox-context';
import { kubeApiHandler, type KubeApiOptions } from '../kubernetes/api/kube-api-handler';
import { writeKubeconfig } from '../kubernetes/api/kubeconfig';
import { listen } from '../core/listen';
import { loadOrCreateCa } from '../tls/sandbox-ca';

/** The Kubernetes API of a context on a loopback port, and what a client needs to reach it. */
export interface ServedKubeApi {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** A kubeconfig with the URL, the CA and the token, as `startSandbox` writes it. */
  kubeconfigPath: string;
  /** The CA that signed the server's certificate (PEM), and its file. */
  caPem: string;
  caFile: string;
  close(): Promise<void>;
}

/**
 * Serves `kubeApiHandler(ctx)` over HTTPS with a CA kept in the context's data folder, exactly as
 * `startSandbox` does, for tests that want the Kubernetes API alone.
 */
export async function serveKubeApi(
  ctx: SandboxContext,
  options: KubeApiOptions & { token: string },
): Promise<ServedKubeApi> {
  const ca = await loadOrCreateCa(ctx.config.dataDir);
  const tls = await ca.issueServerCertificate(['127.0.0.1', 'localhost']);
  const server = await listen(kubeApiHandler(ctx, options), '127.0.0.1', 0, tls);
  ctx.urls.kube = server.url;
  const kubeconfigPath = path.join(ctx.config.dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, server.url, options.token, ca.caPem);
  return { url: server.url, kubeconfigPath, caPem: ca.caPem, caFile: ca.caFile, close: () => server.close() };
}
