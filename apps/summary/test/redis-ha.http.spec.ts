import type { AppSummary } from '@platform/domain';
import { closeRedisClient, createRedisClient, type RedisClient } from '@platform/service-runtime';
import {
  openSse,
  redisCommand,
  signTestToken,
  startRedisClusterSetup,
  startRedisSentinelSetup,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  waitForStatus,
  type RedisClusterSetup,
  type RedisSentinelSetup,
} from '@platform/service-runtime/testing';
import type { StoredSummary } from '../src/fold/stored-summary';
import { scripted } from '../src/store/scripted-redis';
import { SummaryKeys } from '../src/store/summary-keys';
import { SummaryWriter } from '../src/store/summary-writer';
import { LostWritesError } from '../src/store/write-sequence';
import { summaryFactory } from './support/summary.factory';
import { getJson, startReplica, until, type Replica } from './support/summary-harness';

interface Page {
  items: AppSummary[];
  nextCursor: string | null;
}

const PREFIX = '{summary}:';
const APPS: StoredSummary[] = ['cart', 'checkout', 'search'].map((app, i) =>
  summaryFactory({ app, team: i < 2 ? 'payments' : 'content' }),
);

/**
 * A read-only summary replica configured with REDIS_MODE=cluster or sentinel, serving what the
 * leader's scripts wrote through a client of the same mode: the multi-key Lua scripts, MULTI
 * reads and pub/sub of the summary all run on the real topology.
 */
const SETUPS = [
  ['cluster', startRedisClusterSetup],
  ['sentinel', startRedisSentinelSetup],
] as const;

for (const [mode, start] of SETUPS) {
  describe(`summary API on a real Redis ${mode} (REDIS_MODE=${mode})`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    let setup: RedisClusterSetup | RedisSentinelSetup;
    let redis: RedisClient;
    let writer: SummaryWriter;
    let epoch: string;
    let replica: Replica;
    let alice: string;

    beforeAll(async () => {
      setup = await start();
      cleanups.push(() => setup.stop());
      redis = createRedisClient(setup.settings, 'summary-test-writer');
      cleanups.push(() => closeRedisClient(redis));
      await until(() => redis.ping(), 5000);
      writer = new SummaryWriter(scripted(redis), new SummaryKeys(PREFIX));
      epoch = await writer.claim();
      await writer.write(epoch, APPS, []);
      replica = await startReplica({
        ...setup.env,
        ...TEST_AUTH_ENV,
        ...TEST_LIMITS_ENV,
        ARGO_SERVER_URL: 'http://127.0.0.1:1',
        ARGOCD_SERVER_URL: 'http://127.0.0.1:1',
        ARGOCD_PASSWORD: 'unused',
        SUMMARY_COLLECT: 'false',
        SUMMARY_KEY_PREFIX: PREFIX,
      });
      cleanups.push(() => replica.close());
      alice = await signTestToken({ sub: 'alice', teams: ['payments'] });
    }, 30_000);
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
      // ioredis leaves a 2 s socket-destroy timer behind after a Sentinel failover; outwait it.
      await new Promise((resolve) => setTimeout(resolve, 2100));
    });

    it('is ready, and serves the page, one app, and the counts of every team to an admin', async () => {
      const ready = await fetch(`${replica.base}/healthz/ready`);
      expect(await ready.json()).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
      const page = await getJson<Page>(`${replica.base}/summary/v1/apps?limit=1`, alice);
      expect(page.status).toBe(200);
      expect(page.body.items.map((a) => a.app)).toEqual(['cart']);
      const rest = await getJson<Page>(
        `${replica.base}/summary/v1/apps?cursor=${page.body.nextCursor ?? ''}`,
        alice,
      );
      expect(rest.body).toMatchObject({ items: [{ app: 'checkout' }], nextCursor: null });
      const one = await getJson<AppSummary>(`${replica.base}/summary/v1/apps/checkout`, alice);
      expect(one).toMatchObject({ status: 200, body: { app: 'checkout', team: 'payments' } });
      const admin = await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] });
      const stats = await getJson<{ total: { apps: number } }>(`${replica.base}/summary/v1/stats`, admin);
      // Two apps of payments, one of another team.
      expect(stats).toMatchObject({ status: 200, body: { total: { apps: 3 } } });
    });

    it('streams a change the leader publishes to the SSE clients of the replica', async () => {
      const stream = await openSse(`${replica.base}/summary/v1/stream?access_token=${alice}`);
      try {
        expect(stream.status).toBe(200);
        const degraded = { ...(APPS[0] as StoredSummary), health: { status: 'Degraded', message: 'x' } };
        // The subscription may still be on its way when the stream opens: publish until it arrives.
        await until(async () => {
          await writer.write(
            epoch,
            [{ ...degraded, health: { ...degraded.health, message: String(Date.now()) } }],
            [],
          );
          await stream.waitFor((text) => text.includes('event: app') && text.includes('"Degraded"'), 300);
        }, 10_000);
      } finally {
        stream.close();
      }
    });

    if (mode === 'sentinel') {
      it('keeps serving after the Sentinel promotes the replica', async () => {
        const sentinel = setup as RedisSentinelSetup;
        // Replication is asynchronous: the replica must have every write before it takes over.
        expect(await redis.wait(1, 2000)).toBe(1);
        await sentinel.failover();
        await until(
          async () => {
            const page = await getJson<Page>(`${replica.base}/summary/v1/apps`, alice);
            expect(page.status).toBe(200);
            expect(page.body.items.map((a) => a.app)).toEqual(['cart', 'checkout']);
          },
          15_000,
          100,
        );
        await waitForStatus(`${replica.base}/healthz/ready`, 200);
        // Sentinel makes the old master a replica only seconds after the switch (once it has
        // reported itself master for a while); until then a client that has not heard of the
        // switch yet writes there, and those writes are lost. Write until the promoted one has it
        // (the writer may say it lost writes: the ones that went to the old master).
        const billing = summaryFactory({ app: 'billing', team: 'payments' });
        await until(
          async () => {
            await writer.write(epoch, [billing], []).catch((error: unknown) => {
              if (!(error instanceof LostWritesError)) throw error;
            });
            const promoted = await redisCommand(sentinel.replicaPort, (r) =>
              r.exists(`${PREFIX}app:billing`),
            );
            expect(promoted).toBe(1);
          },
          10_000,
          100,
        );
        // Reads may come from the demoted master until ioredis' failover detector hears Sentinel's
        // +switch-master: as long as the page above may take under load.
        await until(async () => {
          const one = await getJson<AppSummary>(`${replica.base}/summary/v1/apps/billing`, alice);
          expect(one.status).toBe(200);
        }, 15_000);
      }, 60_000);
    }
  });
}
