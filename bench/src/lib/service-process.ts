import { spawn } from 'node:child_process';
import net from 'node:net';

export interface RunningService {
  base: string;
  stop(): void;
}

/**
 * Runs a built service (`apps/<name>/dist/main.js`) on a free port with `env` and waits until it
 * is ready. (The service runtime's test helpers need jest; the benchmarks run without it.)
 */
export async function startService(mainJs: string, env: Record<string, string>): Promise<RunningService> {
  const port = await freePort();
  const child = spawn(process.execPath, [mainJs], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i += 1) {
    if (child.exitCode !== null) throw new Error(`${mainJs} exited with code ${child.exitCode}`);
    const status = await fetch(`${base}/healthz/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return { base, stop: () => child.kill('SIGKILL') };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${mainJs} did not become ready`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
