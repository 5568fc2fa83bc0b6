import { TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { scripted } from '../../src/store/scripted-redis';
import { SHARED_PARTS_MARK } from '../../src/store/stored-record';
import { SummaryKeys } from '../../src/store/summary-keys';
import { SummaryReader } from '../../src/store/summary-reader';
import { SummaryWriter } from '../../src/store/summary-writer';
import { environmentFactory, summaryFactory } from '../support/summary.factory';
import { deletePrefix, testPrefix } from '../support/summary-harness';

/**
 * The write scripts count each environment's apps by that environment's health, sync and last
 * deploy phase (`envstats`), moving an app between counters as its environments change, and
 * dropping them with an environment or the app.
 */
describe('summary stats per environment', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new SummaryKeys(prefix);
  const writer = new SummaryWriter(scripted(redis), keys, undefined, { sharedParts: true });
  const reader = new SummaryReader(scripted(redis), keys, 60_000);
  const degraded = { status: 'Degraded', message: null };
  const outOfSync = { status: 'OutOfSync', revision: null, operation: null };
  const failed = { taskId: 'cd-1', phase: 'Failed' as const, revision: null, image: null, finishedAt: null };
  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  const environments = async () => Object.fromEntries((await reader.stats()).environments);

  it('counts a one-environment app whose record stores its parts once by those parts', async () => {
    const epoch = await writer.claim();
    const own = { health: degraded, sync: outOfSync, deploy: failed, rollout: null };
    const lone = summaryFactory({
      app: 'lone',
      ...own,
      environments: { qa: environmentFactory('lone', 'qa', own) },
    });
    await writer.write(epoch, [lone], []);
    expect(await redis.get(`${prefix}app:lone`)).toContain(SHARED_PARTS_MARK);
    expect((await environments()).qa).toEqual({
      apps: 1,
      health: { Degraded: 1 },
      sync: { OutOfSync: 1 },
      deploy: { Failed: 1 },
    });
    expect(await redis.smembers(`${prefix}env:qa:tag:health:Degraded`)).toEqual(['lone']);
    // Healthy again: moved between the counters by the parts of the old record and the new.
    const healthy = {
      health: { status: 'Healthy', message: null },
      sync: lone.sync,
      deploy: null,
      rollout: null,
    };
    await writer.write(
      epoch,
      [{ ...lone, ...healthy, environments: { qa: environmentFactory('lone', 'qa', healthy) } }],
      [],
    );
    expect((await environments()).qa).toEqual({
      apps: 1,
      health: { Healthy: 1 },
      sync: { OutOfSync: 1 },
      deploy: { None: 1 },
    });
    expect(await redis.exists(`${prefix}env:qa:tag:health:Degraded`)).toBe(0);
    await writer.write(epoch, [], ['lone']);
    expect((await environments()).qa).toBeUndefined();
  });

  it('counts each environment by its own states', async () => {
    const epoch = await writer.claim();
    await writer.write(
      epoch,
      [
        summaryFactory({
          app: 'shop',
          health: degraded,
          environments: {
            dev: environmentFactory('shop', 'dev'),
            prod: environmentFactory('shop', 'prod', { health: degraded, deploy: failed }),
          },
        }),
        summaryFactory({
          app: 'blog',
          sync: outOfSync,
          environments: { dev: environmentFactory('blog', 'dev', { sync: outOfSync }) },
        }),
        // Written before environments: counted by team only.
        summaryFactory({ app: 'old' }),
      ],
      [],
    );
    expect(await environments()).toEqual({
      dev: { apps: 2, health: { Healthy: 2 }, sync: { Synced: 1, OutOfSync: 1 }, deploy: { None: 2 } },
      prod: { apps: 1, health: { Degraded: 1 }, sync: { Synced: 1 }, deploy: { Failed: 1 } },
    });
    expect((await reader.stats()).teams.get('payments')?.apps).toBe(3);
  });

  it('moves an app between counters, and drops an environment it left and an app removed', async () => {
    const epoch = await writer.claim();
    await writer.write(
      epoch,
      [
        summaryFactory({
          app: 'shop',
          environments: {
            prod: environmentFactory('shop', 'prod', { deploy: { ...failed, phase: 'Succeeded' } }),
          },
        }),
      ],
      ['blog'],
    );
    expect(await environments()).toEqual({
      prod: { apps: 1, health: { Healthy: 1 }, sync: { Synced: 1 }, deploy: { Succeeded: 1 } },
    });
    expect(await redis.exists(`${prefix}env:dev:idx:activity`, `${prefix}env:prod:tag:health:Degraded`)).toBe(
      0,
    );
  });
});
