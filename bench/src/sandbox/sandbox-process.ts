import { startSandbox, type SandboxOptions } from '@platform/sandbox';

/**
 * A whole sandbox (servers and controllers) in its own process, so the benchmark can measure its
 * memory alone. Options come as JSON in argv[2] (default: speed 10). Reports its URLs and
 * credentials at start and when asked (`{info: true}`), its RSS when asked (`{rss: true}`).
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{"speed":10}') as SandboxOptions;
  const sandbox = await startSandbox(options);
  const { config } = sandbox.ctx;
  const info = {
    port: Number(new URL(sandbox.urls.admin).port),
    urls: sandbox.urls,
    kubeconfig: sandbox.kubeconfigPath,
    caFile: sandbox.caFile,
    kubeToken: sandbox.kubeToken,
    argoToken: config.argoToken,
    argocd: { username: config.argocdUsername, password: config.argocdPassword },
    argocdUsername: config.argocdUsername,
    argocdPassword: config.argocdPassword,
    registryHost: config.registryHost,
    // The services' read-only robot, when the options asked for the platform's registry setup.
    registry: { url: sandbox.urls.registry, ...sandbox.ctx.registry.platformLogins?.reader },
  };
  process.on('message', (message: { rss?: boolean; info?: boolean }) => {
    if (message.rss === true) process.send?.({ rssBytes: process.memoryUsage().rss });
    if (message.info === true) process.send?.(info);
  });
  process.send?.(info);
}

void main();
