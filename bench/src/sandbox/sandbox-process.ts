import { startSandbox } from '@platform/sandbox';

/**
 * A whole sandbox (servers and controllers) in its own process, so the benchmark can measure its
 * memory alone. Reports its URLs, then its RSS whenever asked.
 */
async function main(): Promise<void> {
  const sandbox = await startSandbox({ speed: 10 });
  const info = {
    port: Number(new URL(sandbox.urls.admin).port),
    urls: sandbox.urls,
    kubeconfig: sandbox.kubeconfigPath,
    kubeToken: sandbox.kubeToken,
    argoToken: sandbox.ctx.config.argoToken,
    argocdUsername: sandbox.ctx.config.argocdUsername,
    argocdPassword: sandbox.ctx.config.argocdPassword,
  };
  process.on('message', (message: { rss?: boolean; info?: boolean }) => {
    if (message.rss === true) process.send?.({ rssBytes: process.memoryUsage().rss });
    if (message.info === true) process.send?.(info);
  });
  process.send?.(info);
}

void main();
