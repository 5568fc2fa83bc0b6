import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { argoUpstreamEnv, type Sandbox } from '@platform/sandbox';
import {
  LogCapture,
  listenOnRandomPort,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  TEST_REDIS_URL,
  waitForStatus,
  waitUntil,
} from '@platform/service-runtime/testing';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadSummaryConfig } from '../../src/config/summary-config';
import { createSummaryApp } from '../../src/create-app';

/** A key prefix of its own per test file, so parallel runs never see each other's keys. */
export function testPrefix(): string {
  return `{summary-test-${randomBytes(4).toString('hex')}}:`;
}

/** The environment that points a summary replica at a sandbox. */
export function sandboxEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: TEST_REDIS_URL,
    ...TEST_AUTH_ENV,
    ...TEST_LIMITS_ENV,
    ...argoUpstreamEnv(sandbox),
    KUBECONFIG: sandbox.kubeconfigPath,
    LEADER_ELECTION_NAMESPACE: 'default',
    LEADER_ELECTION_LEASE_SECONDS: '2',
    SUMMARY_FLUSH_MS: '20',
    SUMMARY_STALE_AFTER_MS: '3000',
    ...extra,
  };
}

export interface Replica {
  app: NestFastifyApplication;
  base: string;
  logs: LogCapture;
  close(): Promise<void>;
}

/**
 * One summary replica in this process, listening on a random port; by default only once it is
 * ready (its Redis connection is up), as a load balancer would wait for it.
 */
export async function startReplica(env: Record<string, string>, options = { ready: true }): Promise<Replica> {
  const logs = new LogCapture();
  const app = await createSummaryApp(loadSummaryConfig(env), { logDestination: logs });
  const base = await listenOnRandomPort(app);
  if (options.ready) await waitForStatus(`${base}/healthz/ready`, 200);
  return { app, base, logs, close: () => app.close() };
}

/** Deletes every key under `prefix` (SCAN, never FLUSH: the Redis is shared). */
export async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls an async check until it passes, rethrowing its last failure after `timeoutMs`. */
export function until<T>(check: () => Promise<T>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  return waitUntil(check, timeoutMs, intervalMs);
}

export async function getJson<T>(url: string, token: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
}
