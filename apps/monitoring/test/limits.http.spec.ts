import { Kinds, seedApps } from '@platform/sandbox';
import {
  LogCapture,
  listenOnRandomPort,
  signTestToken,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  TEST_REDIS_URL,
  waitUntil,
} from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { loadMonitoringConfig } from '../src/config/monitoring-config';
import { createMonitoringApp } from '../src/create-app';
import { startPlatform, until, upstreamEnv, type Platform } from './harness';
import { SseClient } from './sse-events';

const APP = 'app-00001';
const OTHER_APP = 'app-00002';
const NS = 'payments-dev';

/** A user of their own per test: the caps are per user. */
const someUser = (): Promise<string> => signTestToken({ sub: `user-${randomUUID()}`, teams: ['payments'] });

/**
 * What one user may hold open on a replica: streams (SSE and waiting long polls) and distinct
 * topics (upstream watches), and the containers a logs stream may ask for.
 */
describe('monitoring limits per user (seeded apps)', () => {
  let platform: Platform;
  let container: string;

  beforeAll(async () => {
    platform = await startPlatform({
      env: { STREAMS_PER_USER: '2', STREAM_TOPICS_PER_USER: '3', STREAM_POLL_HOLD_MS: '300' },
    });
    await seedApps(platform.sandbox.ctx, { apps: 2, teams: ['payments'], podsPerApp: 1, workflowsPerApp: 0 });
    const pod = platform.sandbox.ctx.store
      .list(Kinds.Pod, { namespace: NS })
      .items.find((p) => (p.metadata.name ?? '').startsWith(`${APP}-`));
    container = (pod?.spec as { containers: Array<{ name: string }> }).containers[0]?.name ?? '';
  }, 60_000);
  afterAll(() => platform.stop());

  const sse = (path: string, token: string): Promise<SseClient> =>
    SseClient.open(`${platform.base}/monitoring/v1${path}`, { authorization: `Bearer ${token}` });
  const get = (path: string, token: string): Promise<Response> =>
    fetch(`${platform.base}/monitoring/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('refuses a third open stream of one user with 429 TOO_MANY_STREAMS, and opens it once one ended', async () => {
    const token = await someUser();
    const first = await sse(`/apps/${APP}/status/stream`, token);
    const second = await sse(`/apps/${APP}/events`, token);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await get(`/apps/${APP}/status/stream`, token);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(await third.json()).toEqual({
      error: {
        code: 'TOO_MANY_STREAMS',
        message:
          'you have 2 streams open, the most one user may hold at once (2); close one (each browser tab holds its own) and try again',
        details: { limit: 2 },
      },
    });
    // Another user has slots of their own.
    const other = await sse(`/apps/${APP}/status/stream`, await someUser());
    expect(other.status).toBe(200);
    other.raw.close();

    first.raw.close();
    const again = await waitUntil(async () => {
      const next = await sse(`/apps/${APP}/status/stream`, token);
      if (next.status !== 200) throw new Error(`still ${next.status}`);
      return next;
    }, 10_000);
    again.raw.close();
    second.raw.close();
  });

  it('counts a waiting long poll as an open stream, until its client leaves', async () => {
    const token = await someUser();
    const first = (await (await get(`/apps/${APP}/status/stream?wait=0`, token)).json()) as {
      cursor: string;
    };
    // From its cursor nothing is new, so this poll waits.
    const leave = new AbortController();
    const waiting = fetch(
      `${platform.base}/monitoring/v1/apps/${APP}/status/stream?wait=30&cursor=${encodeURIComponent(first.cursor)}`,
      { headers: { authorization: `Bearer ${token}` }, signal: leave.signal },
    ).catch((error: unknown) => error);
    const stream = await sse(`/apps/${APP}/events`, token);
    expect(stream.status).toBe(200);
    await waitUntil(async () => {
      const refused = await get(`/apps/${APP}/events?wait=0`, token);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'TOO_MANY_STREAMS' } });
    }, 10_000);
    leave.abort();
    await waiting;
    await waitUntil(
      async () => expect((await get(`/apps/${APP}/events?wait=0`, token)).status).toBe(200),
      10_000,
    );
    stream.raw.close();
  });

  it('refuses a stream that would watch more distinct topics than allowed, before opening any', async () => {
    const token = await someUser();
    await until('the topics of earlier tests to close', () => platform.hub.size === 0);
    const res = await get(
      `/stream?topics=status:${APP},events:${APP},logs:${APP},status:${OTHER_APP}`,
      token,
    );
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({
      error: {
        code: 'TOO_MANY_TOPICS',
        message:
          'this stream would have you watch 4 different topics at once, over the 3 one user may; close streams you no longer need (or ask for fewer topics) and try again',
        details: { limit: 3, watching: 0, asked: 4 },
      },
    });
    expect(platform.hub.size).toBe(0);
    // Three are fine; a fourth on another stream is not, the same ones again are.
    const three = await sse(`/stream?topics=status:${APP},events:${APP},logs:${APP}`, token);
    expect(three.status).toBe(200);
    const fourth = await get(`/apps/${OTHER_APP}/status/stream`, token);
    expect(fourth.status).toBe(429);
    const same = await sse(`/apps/${APP}/status/stream`, token);
    expect(same.status).toBe(200);
    three.raw.close();
    same.raw.close();
  });

  it('refuses a container the app does not run with 400 naming its containers, and opens no watch for it', async () => {
    const token = await someUser();
    const asked = Array.from({ length: 50 }, (_, i) => `sidecar-${i}`);
    const statuses = await Promise.all(
      asked.map(async (name) => (await get(`/apps/${APP}/logs?container=${name}`, token)).status),
    );
    expect(new Set(statuses)).toEqual(new Set([400]));
    const res = await get(`/apps/${APP}/logs?container=sidecar-0`, token);
    expect(await res.json()).toEqual({
      error: {
        code: 'UNKNOWN_CONTAINER',
        message: `app ${APP} runs no container named sidecar-0; its containers: ${container}`,
        details: { container: 'sidecar-0', containers: [container] },
      },
    });
    expect(asked.filter((name) => platform.hub.peek(`logs:${APP}@dev:${name}`) !== undefined)).toEqual([]);
    const logs = await sse(`/apps/${APP}/logs?container=${container}`, token);
    expect(logs.status).toBe(200);
    await logs.waitForEvent((e) => e.event === 'snapshot');
    logs.raw.close();
  });
});

describe('monitoring rate limits shared through Redis', () => {
  it('holds one budget of stream opens across two replicas that share a Redis', async () => {
    const platform = await startPlatform({
      env: { REDIS_URL: TEST_REDIS_URL, RATE_LIMIT_STREAM_OPENS: '3' },
    });
    const second = await createMonitoringApp(
      loadMonitoringConfig({
        ...TEST_AUTH_ENV,
        ...TEST_LIMITS_ENV,
        ...upstreamEnv(platform.sandbox),
        REDIS_URL: TEST_REDIS_URL,
        RATE_LIMIT_STREAM_OPENS: '3',
      }),
      { logDestination: new LogCapture() },
    );
    try {
      await seedApps(platform.sandbox.ctx, {
        apps: 1,
        teams: ['payments'],
        podsPerApp: 1,
        workflowsPerApp: 0,
      });
      const bases = [platform.base, await listenOnRandomPort(second)];
      for (const app of [platform.app, second]) {
        await until(
          'its Redis client to connect',
          () => app.get(Redis, { strict: false }).status === 'ready',
        );
      }
      const token = await someUser();
      const statuses: number[] = [];
      for (const base of [...bases, ...bases]) {
        const res = await fetch(`${base}/monitoring/v1/apps/${APP}/status/stream?wait=0`, {
          headers: { authorization: `Bearer ${token}` },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await second.close();
      await platform.stop();
    }
  });
});
