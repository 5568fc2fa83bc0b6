/**
 * Starts the built monitoring service (its real main.js) in this forked process and says when
 * it listens, so the benchmark can fork it with the memory probe like the raw broadcaster.
 */
async function main(): Promise<void> {
  const mainJs = process.argv[2] ?? '';
  const port = process.env.PORT ?? '';
  await import(mainJs);
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz/ready`)).status === 200) {
        process.send?.({ port: Number(port) });
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the monitoring service did not become ready');
}

void main();
