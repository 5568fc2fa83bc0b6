import { TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { scripted } from '../../src/store/scripted-redis';
import { decodeRecord } from '../../src/store/stored-record';
import { SummaryKeys } from '../../src/store/summary-keys';
import { SummaryReader } from '../../src/store/summary-reader';
import { SummaryWriter } from '../../src/store/summary-writer';
import { summaryFactory } from '../support/summary.factory';
import { deletePrefix, testPrefix } from '../support/summary-harness';

/**
 * Redis written by an older version kept the state filters differently: layout 1 as sorted sets
 * (idx:<dim>:<value>), layout 2 as tag sets including the usual states (Healthy, Synced,
 * Succeeded). The first leader of this version brings them up to date when it claims, because its
 * resync skips records that did not change and would leave the filters as they were.
 */
describe('summary Redis layout migration', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new SummaryKeys(prefix);
  const dims = { health: ['Healthy', 'Degraded'], sync: ['Synced'], build: ['None'], deploy: ['None'] };
  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  /** Three apps, a2 Degraded, written by this version; then `rewind` turns them into an older layout. */
  async function written(rewind: () => Promise<void>): Promise<SummaryWriter> {
    const writer = new SummaryWriter(scripted(redis), keys);
    const apps = ['a1', 'a2', 'a3'].map((app, i) =>
      summaryFactory({ app, health: { status: i === 1 ? 'Degraded' : 'Healthy', message: null } }),
    );
    await writer.write(await writer.claim(), apps, []);
    await redis.del(`${prefix}layout`, `${prefix}tags:health`, `${prefix}tags:build`, `${prefix}tags:deploy`);
    await rewind();
    return writer;
  }

  async function expectCurrentLayout(): Promise<void> {
    expect(await redis.get(`${prefix}layout`)).toBe('3');
    expect(await redis.exists(`${prefix}idx:health:Healthy`, `${prefix}idx:health:Degraded`)).toBe(0);
    expect(await redis.exists(`${prefix}tag:health:Healthy`, `${prefix}tag:sync:Synced`)).toBe(0);
    expect(await redis.smembers(`${prefix}tag:health:Degraded`)).toEqual(['a2']);
    expect(await redis.smembers(`${prefix}tag:build:None`)).toHaveLength(3);
    expect(await redis.smembers(`${prefix}tags:health`)).toEqual(['Degraded']);
    const reader = new SummaryReader(scripted(redis), keys, 60_000);
    const names = async (health: string): Promise<string[]> => {
      const page = await reader.list({ health, sort: 'name', limit: 10 });
      return page.records.map((r) => decodeRecord(r.toString()).app);
    };
    expect(await names('Degraded')).toEqual(['a2']);
    expect(await names('Healthy')).toEqual(['a1', 'a3']);
  }

  it('turns layout-1 sorted sets into tag sets on claim, and filters keep working', async () => {
    const writer = await written(async () => {
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
    const writer = await written(async () => {
      await redis.sadd(`${prefix}tag:health:Healthy`, 'a1', 'a3');
      await redis.sadd(`${prefix}tag:sync:Synced`, 'a1', 'a2', 'a3');
      await redis.set(`${prefix}layout`, '2');
    });
    await writer.claim();
    await expectCurrentLayout();
  });
});
