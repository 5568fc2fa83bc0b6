import { startSandbox } from '@platform/sandbox';

/**
 * A whole sandbox (servers and controllers) in its own process, so the benchmark can measure its
 * memory alone. Reports its URLs, then its RSS whenever asked.
 */
async function main(): Promise<void> {
  const sandbox = await startSandbox({ speed: 10 });
  process.on('message', (message: { rss?: boolean }) => {
    if (message.rss === true) process.send?.({ rssBytes: process.memoryUsage().rss });
  });
  process.send?.({ port: Number(new URL(sandbox.urls.admin).port), urls: sandbox.urls });
}

void main();
