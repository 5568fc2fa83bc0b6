import { TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { scripted } from '../../src/store/scripted-redis';
import { decodeRecord, SHARED_PARTS_MARK } from '../../src/store/stored-record';
import { SummaryKeys } from '../../src/store/summary-keys';
import { SummaryReader } from '../../src/store/summary-reader';
import { SummaryWriter } from '../../src/store/summary-writer';
import { environmentFactory, summaryFactory } from '../support/summary.factory';
import { deletePrefix, testPrefix } from '../support/summary-harness';

/**
 * Redis written by an older version kept the state filters differently: layout 1 as sorted sets
 * (idx:<dim>:<value>), layout 2 as tag sets including the usual states (Healthy, Synced,
 * Succeeded). The first leader of this version brings them up to date when it claims, because its
 * resync skips records that did not change and would leave the filters as they were. Layout 3 had
 * no environment indexes: what a version before them left there (having led in between) is
 * rebuilt from the records.
 */
describe('summary Redis layout migration', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new SummaryKeys(prefix);
  const dims = { health: ['Healthy', 'Degraded'], sync: ['Synced'], build: ['None'], deploy: ['None'] };
  // Stateless: what a test leaves is in Redis, under its own app names.
  const writer = new SummaryWriter(scripted(redis), keys, undefined, { sharedParts: true });
  const reader = new SummaryReader(scripted(redis), keys, 60_000);
  const degraded = { status: 'Degraded', message: null };
  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  /** Three apps, a2 Degraded, written by this version; then `rewind` turns them into an older layout. */
  async function written(rewind: () => Promise<void>): Promise<void> {
    const apps = ['a1', 'a2', 'a3'].map((app, i) =>
      summaryFactory({ app, health: { status: i === 1 ? 'Degraded' : 'Healthy', message: null } }),
    );
    await writer.write(await writer.claim(), apps, []);
    await redis.del(`${prefix}layout`, `${prefix}tags:health`, `${prefix}tags:build`, `${prefix}tags:deploy`);
    await rewind();
  }

  async function expectCurrentLayout(): Promise<void> {
    expect(await redis.get(`${prefix}layout`)).toBe('5');
    expect(await redis.exists(`${prefix}idx:health:Healthy`, `${prefix}idx:health:Degraded`)).toBe(0);
    expect(await redis.exists(`${prefix}tag:health:Healthy`, `${prefix}tag:sync:Synced`)).toBe(0);
    expect(await redis.smembers(`${prefix}tag:health:Degraded`)).toEqual(['a2']);
    expect(await redis.smembers(`${prefix}tag:build:None`)).toHaveLength(3);
    expect(await redis.smembers(`${prefix}tags:health`)).toEqual(['Degraded']);
    const names = async (health: string): Promise<string[]> => {
      const page = await reader.list({ health, sort: 'name', limit: 10 });
      return page.records.map((r) => decodeRecord(r.toString()).app);
    };
    expect(await names('Degraded')).toEqual(['a2']);
    expect(await names('Healthy')).toEqual(['a1', 'a3']);
  }

  it('turns layout-1 sorted sets into tag sets on claim, and filters keep working', async () => {
    await written(async () => {
      for (const [dim, values] of Object.entries(dims)) {
        for (const value of values) {
          const key = `${prefix}tag:${dim}:${value}`;
          const members =
            value === 'Healthy'
              ? ['a1', 'a3']
              : value === 'Synced'
                ? ['a1', 'a2', 'a3']
                : await redis.smembers(key);
          await redis.del(key);
          if (members.length > 0)
            await redis.zadd(`${prefix}idx:${dim}:${value}`, ...members.flatMap((m) => [0, m]));
        }
      }
    });
    await writer.claim();
    await expectCurrentLayout();
  });

  it('drops layout-2 sets of the usual states on claim', async () => {
    await written(async () => {
      await redis.sadd(`${prefix}tag:health:Healthy`, 'a1', 'a3');
      await redis.sadd(`${prefix}tag:sync:Synced`, 'a1', 'a2', 'a3');
      await redis.set(`${prefix}layout`, '2');
    });
    await writer.claim();
    await expectCurrentLayout();
  });

  it('rebuilds the environment indexes that a leader of layout 3 left behind, on claim', async () => {
    const e1 = summaryFactory({
      app: 'e1',
      environments: {
        dev: environmentFactory('e1', 'dev'),
        prod: environmentFactory('e1', 'prod', { health: degraded }),
      },
    });
    const e2 = summaryFactory({ app: 'e2', environments: { dev: environmentFactory('e2', 'dev') } });
    await writer.write(await writer.claim(), [e1, e2], []);
    // A layout-3 leader rewrote e1 without its environments (its scripts know none) and removed
    // e2: the environment entries of both stayed, and it set its layout.
    const { environments: _, ...e1Before } = e1;
    await redis.set(`${prefix}app:e1`, JSON.stringify({ ...e1Before, lastActivityAt: null }));
    await redis.zrem(`${prefix}idx:name`, 'e2');
    await redis.del(`${prefix}app:e2`);
    await redis.set(`${prefix}layout`, '3');
    await writer.claim();
    expect(await redis.get(`${prefix}layout`)).toBe('5');
    expect(
      await redis.exists(`${prefix}env:prod:idx:activity`, `${prefix}env:prod:tag:health:Degraded`),
    ).toBe(0);
    expect(await redis.zrange(`${prefix}env:dev:idx:activity`, 0, -1)).toEqual([]);
    expect((await reader.stats()).environments.size).toBe(0);
    // Written again with its environments, e1 is indexed by them once.
    await writer.write(await writer.claim(), [e1], []);
    const page = await reader.list({ environment: 'prod', health: 'Degraded', sort: 'name', limit: 10 });
    expect(page.records.map((r) => decodeRecord(r.toString()).app)).toEqual(['e1']);
    expect((await reader.stats()).environments.get('prod')).toEqual({
      apps: 1,
      health: { Degraded: 1 },
      sync: { Synced: 1 },
      deploy: { None: 1 },
    });
  });

  it('rebuilds the environment indexes of a leader of layout 4, which read a record storing its parts once as Unknown', async () => {
    const g1 = summaryFactory({
      app: 'g1',
      health: degraded,
      rollout: null,
      environments: { uat: environmentFactory('g1', 'uat', { health: degraded }) },
    });
    await writer.write(await writer.claim(), [g1], []);
    expect(await redis.get(`${prefix}app:g1`)).toContain(SHARED_PARTS_MARK);
    // What a layout-4 leader's claim indexed from that record: no parts of its own, so Unknown.
    await redis.del(`${prefix}env:uat:tag:health:Degraded`);
    await redis.hdel(`${prefix}envstats`, 'uat|health|Degraded');
    await redis.sadd(`${prefix}env:uat:tag:health:Unknown`, 'g1');
    await redis.sadd(`${prefix}env:uat:tag:sync:Unknown`, 'g1');
    await redis.hset(`${prefix}envstats`, 'uat|health|Unknown', 1, 'uat|sync|Unknown', 1);
    await redis.hincrby(`${prefix}envstats`, 'uat|sync|Synced', -1);
    await redis.set(`${prefix}layout`, '4');
    await writer.claim();
    expect(await redis.get(`${prefix}layout`)).toBe('5');
    expect(
      await redis.exists(`${prefix}env:uat:tag:health:Unknown`, `${prefix}env:uat:tag:sync:Unknown`),
    ).toBe(0);
    expect((await reader.stats()).environments.get('uat')).toEqual({
      apps: 1,
      health: { Degraded: 1 },
      sync: { Synced: 1 },
      deploy: { None: 1 },
    });
    const page = await reader.list({ environment: 'uat', health: 'Degraded', sort: 'name', limit: 10 });
    expect(page.records.map((r) => decodeRecord(r.toString()).app)).toEqual(['g1']);
  });

  it('indexes the environments of the records on claim after their indexes were lost', async () => {
    const f1 = summaryFactory({
      app: 'f1',
      environments: {
        prod: environmentFactory('f1', 'prod', { lastActivityAt: '2026-03-01T10:00:00.250Z' }),
      },
    });
    await writer.write(await writer.claim(), [f1], []);
    // Stray entries of a layout-3 leader's time, and the record's own entry gone.
    await redis.zadd(`${prefix}env:prod:idx:activity`, 1, 'gone');
    await redis.zrem(`${prefix}env:prod:idx:activity`, 'f1');
    await redis.set(`${prefix}layout`, '3');
    await writer.claim();
    // The score is the environment's activity, read from the record's ISO time inside Redis.
    expect(await redis.zscore(`${prefix}env:prod:idx:activity`, 'f1')).toBe(
      String(Date.parse('2026-03-01T10:00:00.250Z')),
    );
    expect(await redis.zscore(`${prefix}env:prod:idx:activity`, 'gone')).toBeNull();
    const page = await reader.list({ environment: 'prod', sort: 'activity', limit: 10 });
    expect(page.records.map((r) => decodeRecord(r.toString()).app)).toEqual(['f1', 'e1']);
  });
});
