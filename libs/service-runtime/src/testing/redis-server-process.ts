import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { waitUntil } from './wait-until';

/** One redis-server (or Sentinel) process that a test started and must stop. */
export interface RedisServerProcess {
  port: number;
  /** Kills the process and waits for it to exit. */
  stop(): Promise<void>;
}

/** Fails at once, saying what to install, when the machine has no `redis-server` to start. */
function requireRedisServer(): void {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(
      'redis-server is not installed: these tests start their own (Debian package redis-server)',
    );
  }
}

/**
 * Starts `redis-server <args>` listening on 127.0.0.1:`port` and resolves once it answers PING.
 * Persistence stays off: these servers live for one test file. If it does not come up, the
 * rejection carries the server's own output.
 */
export async function startRedisProcess(args: string[], port: number): Promise<RedisServerProcess> {
  requireRedisServer();
  const child = spawn(
    'redis-server',
    [...args, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    await waitUntil(() => redisCommand(port, (redis) => redis.ping()), 5000);
  } catch (error) {
    await stop();
    throw new Error(`redis-server on port ${port} did not start: ${(error as Error).message}\n${output}`);
  }
  return { port, stop };
}

/** Runs `work` on a short-lived connection to 127.0.0.1:`port` that never retries. */
export async function redisCommand<T>(port: number, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const result = await work(redis);
    // QUIT rather than disconnect(): ioredis arms a 2 s timer on disconnect that outlives the test.
    // (Sentinel 7.0 does not know QUIT; disconnect() below then closes it.)
    await redis.quit().catch(() => undefined);
    return result;
  } finally {
    if (redis.status !== 'end') redis.disconnect();
  }
}
