import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

/**
 * A redis-server of the benchmark's own on a free port, nothing saved: its memory figures are the
 * summary's alone, it never disturbs the shared Redis, and stopping it cleans everything up.
 */
export async function startPrivateRedis(): Promise<{ url: string; redis: Redis; stop(): Promise<void> }> {
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const redis = new Redis(url, { retryStrategy: (n) => (n > 50 ? null : 100) });
  // Refused until redis-server listens; ioredis retries meanwhile.
  redis.on('error', () => undefined);
  await redis.ping();
  return {
    url,
    redis,
    stop: async () => {
      redis.disconnect();
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
  };
}

/**
 * Redis's used memory without its clients' buffers: right after a resync the collector's query
 * buffer still holds megabytes of pipelined writes, which Redis shrinks later on its own; they
 * are not memory the apps keep.
 */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const field = (name: string): number => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? 0);
  return field('used_memory') - field('mem_clients_normal');
}
