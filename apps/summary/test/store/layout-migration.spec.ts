import { TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { scripted } from '../../src/store/scripted-redis';
import { SummaryKeys } from '../../src/store/summary-keys';
import { SummaryReader } from '../../src/store/summary-reader';
import { SummaryWriter } from '../../src/store/summary-writer';
import { summaryFactory } from '../support/summary.factory';
import { deletePrefix, testPrefix } from '../support/summary-harness';

/**
 * Redis written by an older version kept the state filters as sorted sets (idx:<dim>:<value>).
 * The first leader of this version moves them to tag sets when it claims, because its resync
 * skips records that did not change and would leave the filters empty.
 */
describe('summary Redis layout migration', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new SummaryKeys(prefix);
  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('turns layout-1 state indexes into tag sets on claim, and filters keep working', async () => {
    const writer = new SummaryWriter(scripted(redis), keys);
    const apps = ['a1', 'a2', 'a3'].map((app, i) =>
      summaryFactory({ app, health: { status: i === 1 ? 'Degraded' : 'Healthy', message: null } }),
    );
    await writer.write(await writer.claim(), apps, []);
    // Back to what a layout-1 writer left: sorted sets, no tag sets, no layout marker.
    const dims = { health: ['Healthy', 'Degraded'], sync: ['Synced'], build: ['None'], deploy: ['None'] };
    for (const [dim, values] of Object.entries(dims)) {
      for (const value of values) {
        const members = await redis.smembers(`${prefix}tag:${dim}:${value}`);
        await redis.del(`${prefix}tag:${dim}:${value}`);
        if (members.length > 0)
          await redis.zadd(`${prefix}idx:${dim}:${value}`, ...members.flatMap((m) => [0, m]));
      }
    }
    await redis.del(`${prefix}layout`);

    await writer.claim();

    expect(await redis.exists(`${prefix}idx:health:Healthy`, `${prefix}idx:health:Degraded`)).toBe(0);
    expect((await redis.smembers(`${prefix}tag:health:Healthy`)).sort()).toEqual(['a1', 'a3']);
    expect(await redis.smembers(`${prefix}tag:sync:Synced`)).toHaveLength(3);
    expect(await redis.get(`${prefix}layout`)).toBe('2');
    const page = await new SummaryReader(scripted(redis), keys, 60_000).list(
      { health: 'Degraded', sort: 'name', limit: 10 },
      new Map(),
    );
    expect(JSON.parse(`[${page.items}]`)).toMatchObject([{ app: 'a2' }]);
  });
});
