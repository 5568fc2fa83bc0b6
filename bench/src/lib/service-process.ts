import { freePort, spawnService, waitForStatus } from '@platform/service-runtime/testing/process';

export interface RunningService {
  base: string;
  /** The service's process, for its memory (lib/pod-memory.ts). */
  pid: number;
  stop(): void;
}

/** Runs a built service (`apps/<name>/dist/main.js`) on a free port with `env` and waits until it is ready. */
export async function startService(mainJs: string, env: Record<string, string>): Promise<RunningService> {
  const port = await freePort();
  const service = spawnService(mainJs, { HOST: '127.0.0.1', PORT: String(port), ...env });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForStatus(`${base}/healthz/ready`, 200);
  } catch (error) {
    service.child.kill('SIGKILL');
    throw new Error(`${mainJs} did not become ready: ${service.stderr()}`, { cause: error });
  }
  return { base, pid: service.child.pid ?? 0, stop: () => service.child.kill('SIGKILL') };
}
