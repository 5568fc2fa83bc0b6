import { heapGuardEnv, type PlatformServiceName } from '../lib/pod-memory';
import { fork } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@platform/service-runtime/testing/process';
import { BENCH_LIMITS_ENV } from '../lib/bench-limits';
import type { ChaosSandboxHello, ChaosSandboxOptions } from './chaos-sandbox';
import { Replica } from './replica';
import { RestartableRedis } from './restartable-redis';
import type { Truth } from './truth';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const LEASE = { namespace: 'default', name: 'summary-collector' };

/** The sandbox's process, asked for the truth over IPC. */
export interface SandboxProcess {
  hello: ChaosSandboxHello;
  truth(): Promise<Truth>;
  rssBytes(): Promise<number>;
  stop(): Promise<void>;
}

/** Everything the soak runs: Redis, the sandbox, task, monitoring and two summary replicas. */
export interface Stack {
  redis: RestartableRedis;
  sandbox: SandboxProcess;
  task: Replica;
  monitoring: Replica;
  summaries: Replica[];
  replicas: Replica[];
  stop(): Promise<void>;
}

export async function startStack(options: ChaosSandboxOptions, logDir: string): Promise<Stack> {
  const redis = await RestartableRedis.start();
  const sandbox = await startSandboxProcess(options);
  const { hello } = sandbox;
  const common: Record<string, string> = {
    // Capacity, not the per-user limits, is what the soak is about (README, "Limits"); load
    // shedding stays on as in production: its 503 is an answer the soak allows.
    RATE_LIMIT_ENABLED: BENCH_LIMITS_ENV.RATE_LIMIT_ENABLED ?? 'false',
    STREAMS_PER_USER: BENCH_LIMITS_ENV.STREAMS_PER_USER ?? '100000',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // Short drains: nothing SIGTERMs them before the end.
    SHUTDOWN_DRAIN_MS: '0',
    AUTH_JWKS_URL: `${hello.adminUrl}/.well-known/jwks.json`,
    AUTH_ISSUER: hello.adminUrl,
    REDIS_URL: redis.url,
    ...hello.upstreamEnv,
  };
  const mainJs = (name: string): string => path.join(ROOT, 'apps', name, 'dist', 'main.js');
  // Each sized as in its pod (deploy/image/node-heap-guard.sh) for the limit deploy/base gives it.
  const replica = async (
    name: string,
    service: PlatformServiceName,
    env: Record<string, string>,
  ): Promise<Replica> =>
    new Replica(
      name,
      mainJs(service),
      await freePort(),
      { ...common, ...heapGuardEnv(service, 'base'), ...env },
      logDir,
    );
  const task = await replica('task', 'task', {
    ...hello.taskEnv,
    TEMPLATES_CATALOG_FILE: path.join(ROOT, 'deploy', 'templates', 'catalog.yaml'),
  });
  const monitoring = await replica('monitoring', 'monitoring', {
    KUBECONFIG: hello.kubeconfig,
    STREAM_TOPICS_PER_USER: '10000',
  });
  const summaryEnv = {
    KUBECONFIG: hello.kubeconfig,
    LEADER_ELECTION_NAMESPACE: LEASE.namespace,
    LEADER_ELECTION_LEASE: LEASE.name,
  };
  const summaries = [
    await replica('summary-a', 'summary', summaryEnv),
    await replica('summary-b', 'summary', summaryEnv),
  ];
  const replicas = [task, monitoring, ...summaries];
  const stop = async (): Promise<void> => {
    await Promise.all(replicas.map((r) => r.stop()));
    await sandbox.stop();
    await redis.stop();
  };
  try {
    await Promise.all(replicas.map((r) => r.start()));
  } catch (error) {
    await stop();
    throw error;
  }
  return { redis, sandbox, task, monitoring, summaries, replicas, stop };
}

async function startSandboxProcess(options: ChaosSandboxOptions): Promise<SandboxProcess> {
  const child = fork(path.join(__dirname, 'chaos-sandbox.js'), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  /** The next message holding `key`. */
  const next = (key: string, timeoutMs: number): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', listener);
        reject(new Error(`the sandbox sent no ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (message: Record<string, unknown>): void => {
        if (!(key in message)) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
    });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code ?? 'signal'})`))),
  );
  exited.catch(() => undefined);
  // Starting, onboarding three teams with the real Helm and seeding takes a while on a busy machine.
  const hello = (await Promise.race([next('adminUrl', 180_000), exited])) as unknown as ChaosSandboxHello;
  return {
    hello,
    truth: async () => {
      const answer = next('truth', 60_000);
      child.send({ truth: true });
      return (await answer).truth as Truth;
    },
    rssBytes: async () => {
      const answer = next('rssBytes', 10_000);
      child.send({ rss: true });
      return (await answer).rssBytes as number;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
