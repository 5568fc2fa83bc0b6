import { startSandbox, type SandboxOptions } from '@platform/sandbox';

/**
 * A whole sandbox (servers and controllers) in its own process, so the benchmark can measure its
 * memory alone. Options come as JSON in argv[2] (default: speed 10). Reports its URLs and
 * credentials, then its RSS whenever asked.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{"speed":10}') as SandboxOptions;
  const sandbox = await startSandbox(options);
  process.on('message', (message: { rss?: boolean }) => {
    if (message.rss === true) process.send?.({ rssBytes: process.memoryUsage().rss });
  });
  const { config } = sandbox.ctx;
  process.send?.({
    port: Number(new URL(sandbox.urls.admin).port),
    urls: sandbox.urls,
    argoToken: config.argoToken,
    argocd: { username: config.argocdUsername, password: config.argocdPassword },
    registryHost: config.registryHost,
  });
}

void main();
