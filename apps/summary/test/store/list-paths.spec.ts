import { TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import type { StoredSummary } from '../../src/fold/stored-summary';
import { scripted } from '../../src/store/scripted-redis';
import { decodeRecord } from '../../src/store/stored-record';
import { SummaryKeys } from '../../src/store/summary-keys';
import { SummaryReader, type ListLimits, type ListQuery } from '../../src/store/summary-reader';
import { activityMs, SummaryWriter } from '../../src/store/summary-writer';
import { environmentFactory, summaryFactory } from '../support/summary.factory';
import { deletePrefix, testPrefix } from '../support/summary-harness';

const TEAMS = ['payments', 'content', 'search', 'data'];
const HEALTH = ['Healthy', 'Healthy', 'Healthy', 'Degraded', 'Progressing'];

/**
 * The list script reads a page in different ways depending on sizes: reading a small candidate set
 * whole (a state, teams, a prefix), or walking the name, team or activity index, and stopping
 * early at its scan budget. Whatever way it takes, paging to the end must give exactly the apps a
 * plain filter and sort give. Small limits here force every way on 150 apps. Every app is in dev,
 * one in three also in prod, each environment with states and activity of its own.
 */
describe('list script: every way of reading a page gives the same apps', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new SummaryKeys(prefix);
  const all: StoredSummary[] = [];

  beforeAll(async () => {
    const writer = new SummaryWriter(scripted(redis), keys);
    const epoch = await writer.claim();
    for (let i = 0; i < 150; i += 1) {
      all.push(
        summaryFactory({
          app: `app-${String((i * 37) % 150).padStart(3, '0')}`,
          team: TEAMS[i % 4] ?? null,
          health: { status: HEALTH[i % 5] ?? 'Unknown', message: null },
          sync: { status: i % 7 === 0 ? 'OutOfSync' : 'Synced', revision: null, operation: null },
          build:
            i % 3 === 2
              ? null
              : {
                  taskId: `ci-${i}`,
                  phase: i % 3 === 0 ? 'Failed' : 'Succeeded',
                  image: null,
                  finishedAt: null,
                },
          deploy:
            i % 4 === 0
              ? null
              : {
                  taskId: `cd-${i}`,
                  phase: i % 11 === 0 ? 'Running' : 'Succeeded',
                  revision: null,
                  image: null,
                  finishedAt: null,
                },
          lastActivityAt: new Date(Date.UTC(2026, 10, 1) + Math.floor(i / 4) * 60_000).toISOString(),
          environments: {
            dev: environmentFactory(`app-${i}`, 'dev', {
              health: { status: HEALTH[(i + 1) % 5] ?? 'Unknown', message: null },
              sync: { status: i % 5 === 0 ? 'OutOfSync' : 'Synced', revision: null, operation: null },
              // Some environments were never active (score 0), some share a time.
              lastActivityAt:
                i % 9 === 0 ? null : new Date(Date.UTC(2026, 10, 1) + (i % 13) * 60_000).toISOString(),
            }),
            ...(i % 3 === 0
              ? {
                  prod: environmentFactory(`app-${i}`, 'prod', {
                    health: { status: HEALTH[(i + 3) % 5] ?? 'Unknown', message: null },
                    deploy: {
                      taskId: `cd-${i}`,
                      phase: i % 2 === 0 ? 'Failed' : 'Succeeded',
                      revision: null,
                      image: null,
                      finishedAt: null,
                    },
                    lastActivityAt: new Date(Date.UTC(2026, 9, 1) + (i % 17) * 1500).toISOString(),
                  }),
                }
              : {}),
          },
        }),
      );
    }
    await writer.write(epoch, all, []);
  });
  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  const queries: Array<Omit<ListQuery, 'sort' | 'limit'>> = [
    {},
    { health: 'Healthy' },
    { health: 'Degraded', sync: 'OutOfSync' },
    { build: 'Failed', teams: ['content', 'data'] },
    { teams: ['search'] },
    { q: 'app-1' },
    { q: 'app-0', health: 'Progressing' },
    { health: 'Missing' },
    // Usual states have no set of their own: an app is in one when it is in no other set.
    { sync: 'Synced', health: 'Degraded' },
    { build: 'Succeeded', deploy: 'Succeeded' },
    { build: 'None', teams: ['payments'] },
    { deploy: 'Running', health: 'Healthy' },
    // An environment: its apps only, by its own states and activity.
    { environment: 'prod' },
    { environment: 'dev' },
    { environment: 'prod', health: 'Degraded' },
    { environment: 'prod', health: 'Healthy', deploy: 'Succeeded' },
    { environment: 'prod', deploy: 'Failed', teams: ['payments', 'search'] },
    { environment: 'dev', sync: 'OutOfSync', build: 'Failed' },
    { environment: 'dev', sync: 'Synced', q: 'app-1' },
    { environment: 'staging' },
  ];
  const limits: Array<[string, ListLimits]> = [
    ['read whole', { scanBudget: 100_000, gatherMax: 100_000 }],
    ['walked', { scanBudget: 100_000, gatherMax: 0 }],
    ['walked, short budget', { scanBudget: 9, gatherMax: 0 }],
  ];

  it('keeps no set for the usual states, only for the others', async () => {
    expect(await redis.exists(`${prefix}tag:health:Healthy`, `${prefix}tag:sync:Synced`)).toBe(0);
    expect(await redis.exists(`${prefix}tag:build:Succeeded`, `${prefix}tag:deploy:Succeeded`)).toBe(0);
    expect((await redis.smembers(`${prefix}tags:health`)).sort()).toEqual(['Degraded', 'Progressing']);
    expect(await redis.scard(`${prefix}tag:health:Degraded`)).toBe(
      all.filter((s) => s.health.status === 'Degraded').length,
    );
  });

  for (const [way, limit] of limits) {
    for (const sort of ['name', 'activity'] as const) {
      it.each(queries)(`${way}, ${sort} order: %j`, async (query) => {
        const reader = new SummaryReader(scripted(redis), keys, 60_000, limit);
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 500; pages += 1) {
          const page = await reader.list({ ...query, sort, limit: 7, cursor });
          seen.push(...page.records.map((r) => decodeRecord(r.toString()).app));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        expect(seen).toEqual(expected(all, query, sort));
      });
    }
  }
});

function expected(all: StoredSummary[], query: Omit<ListQuery, 'sort' | 'limit'>, sort: string): string[] {
  // What the query reads of each app: its environment's state, or the app's own.
  const view = (s: StoredSummary) =>
    query.environment === undefined ? s : s.environments?.[query.environment];
  const activity = (s: StoredSummary): number => {
    const at = view(s)?.lastActivityAt ?? null;
    return at === null ? 0 : Date.parse(at);
  };
  const kept = all.filter((s) => {
    const v = view(s);
    return (
      v !== undefined &&
      (query.q === undefined || s.app.startsWith(query.q)) &&
      (query.health === undefined || v.health.status === query.health) &&
      (query.sync === undefined || v.sync.status === query.sync) &&
      (query.build === undefined || (s.build?.phase ?? 'None') === query.build) &&
      (query.deploy === undefined || (v.deploy?.phase ?? 'None') === query.deploy) &&
      (query.teams === undefined || query.teams.includes(s.team ?? '-'))
    );
  });
  const ordered =
    sort === 'name'
      ? kept.sort((a, b) => (a.app < b.app ? -1 : 1))
      : kept.sort((a, b) => activity(b) - activity(a) || (a.app < b.app ? 1 : -1));
  // The app-wide order is the writer's own (activityMs), checked against the same times.
  if (query.environment === undefined && sort !== 'name')
    expect(kept.every((s) => activity(s) === activityMs(s))).toBe(true);
  return ordered.map((s) => s.app);
}
