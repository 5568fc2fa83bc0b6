import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Debian's `docker-registry` (distribution 2.8) on PATH, or undefined. */
export function dockerRegistryBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v docker-registry'], { encoding: 'utf8' });
  const binary = found.stdout.trim();
  return found.status === 0 && binary !== '' ? binary : undefined;
}

/**
 * Whether docker-registry is installed; when not, says so in one line for the suite `name`
 * (which then skips itself, as the suites needing ../shared do).
 */
export function hasDockerRegistry(name: string): boolean {
  const present = dockerRegistryBinary() !== undefined;
  if (!present)
    console.log(`${name}: skipped: docker-registry not found (apt-get install -y docker-registry)`);
  return present;
}

export interface RealRegistry {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the real distribution registry (Debian's docker-registry, distribution 2.8) on a free loopback port, without auth, with deletes
 * enabled and its storage in a temporary folder.
 */
export async function startRealRegistry(): Promise<RealRegistry> {
  const binary = dockerRegistryBinary();
  if (binary === undefined) throw new Error('docker-registry is not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'real-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(url, child, () => stderr);
  return {
    url,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilAnswering(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr()}`);
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not answer at ${url}: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
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
