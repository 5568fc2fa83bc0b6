import type { AppSummary } from '@platform/domain';
import {
  DEAD_REDIS_URL,
  signTestToken,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  TEST_REDIS_URL,
} from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import http from 'node:http';
import type { StoredSummary } from '../src/fold/stored-summary';
import { scripted } from '../src/store/scripted-redis';
import { SummaryKeys } from '../src/store/summary-keys';
import { FencedError, SummaryWriter } from '../src/store/summary-writer';
import { summaryFactory } from './support/summary.factory';
import { deletePrefix, getJson, startReplica, testPrefix, type Replica } from './support/summary-harness';

interface Page {
  items: AppSummary[];
  nextCursor: string | null;
  stale: boolean;
  sources: Record<string, { stale: boolean; connected: boolean }>;
}

const TEAMS = ['payments', 'content', 'search'];
const HEALTH = ['Healthy', 'Healthy', 'Degraded', 'Progressing'];

/** 120 apps written through the leader's scripts, read back through the HTTP API of a read-only replica. */
describe('summary API over the Redis model (real Redis, no upstreams)', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const writer = new SummaryWriter(scripted(redis), new SummaryKeys(prefix));
  let replica: Replica;
  let epoch: string;
  let alice: string;
  let admin: string;
  const all: StoredSummary[] = [];

  beforeAll(async () => {
    epoch = await writer.claim();
    for (let i = 0; i < 120; i += 1) {
      all.push(
        summaryFactory({
          app: `app-${String(i).padStart(3, '0')}`,
          team: TEAMS[i % 3] ?? null,
          health: { status: HEALTH[i % 4] ?? 'Unknown', message: null },
          sync: { status: i % 5 === 0 ? 'OutOfSync' : 'Synced', revision: null, operation: null },
          build:
            i % 2 === 0 ? { taskId: `ci-${i}`, phase: 'Succeeded', image: null, finishedAt: null } : null,
          // Several apps share one activity time, so ties are paged by name.
          lastActivityAt: new Date(Date.UTC(2026, 10, 1) + Math.floor(i / 3) * 60_000).toISOString(),
        }),
      );
    }
    await writer.write(epoch, all, []);
    const now = Date.now();
    await writer.setHash(epoch, 'sources', {
      argocd: JSON.stringify({ connected: true, since: now, heartbeatAt: now }),
      workflows: JSON.stringify({ connected: true, since: now, heartbeatAt: now }),
      kubernetes: JSON.stringify({
        connected: false,
        since: now - 60_000,
        heartbeatAt: now,
        reason: 'connect ECONNREFUSED 10.96.0.1:443',
      }),
    });
    replica = await startReplica({
      REDIS_URL: TEST_REDIS_URL,
      ...TEST_AUTH_ENV,
      ...TEST_LIMITS_ENV,
      ARGO_SERVER_URL: 'http://127.0.0.1:1',
      ARGOCD_SERVER_URL: 'http://127.0.0.1:1',
      ARGOCD_PASSWORD: 'unused',
      SUMMARY_COLLECT: 'false',
      SUMMARY_KEY_PREFIX: prefix,
      SUMMARY_STALE_AFTER_MS: '30000',
    });
    alice = await signTestToken({ sub: 'alice', teams: ['payments', 'search'] });
    admin = await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] });
  });
  afterAll(async () => {
    await replica.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
    redis.disconnect();
  });

  const list = (query: string, token = admin) =>
    getJson<Page>(`${replica.base}/summary/v1/apps?${query}`, token);

  async function pages(query: string, token = admin, from: string | null = null): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | null = from;
    do {
      const res = await list(`${query}${cursor === null ? '' : `&cursor=${cursor}`}`, token);
      expect(res.status).toBe(200);
      names.push(...res.body.items.map((a) => a.app));
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    return names;
  }

  const expected = (keep: (s: StoredSummary) => boolean, sort: 'name' | 'activity' = 'name'): string[] =>
    all
      .filter(keep)
      .sort((a, b) =>
        sort === 'name'
          ? a.app.localeCompare(b.app)
          : (b.lastActivityAt ?? '').localeCompare(a.lastActivityAt ?? '') || b.app.localeCompare(a.app),
      )
      .map((s) => s.app);

  it.each([
    ['everything by name', 'limit=7', () => true, 'name'],
    ['one team', 'limit=7&team=content', (s: StoredSummary) => s.team === 'content', 'name'],
    ['a health', 'limit=9&health=Degraded', (s: StoredSummary) => s.health.status === 'Degraded', 'name'],
    [
      'health and sync together',
      'limit=4&health=Healthy&sync=OutOfSync',
      (s: StoredSummary) => s.health.status === 'Healthy' && s.sync.status === 'OutOfSync',
      'name',
    ],
    ['a name prefix', 'limit=3&q=app-01', (s: StoredSummary) => s.app.startsWith('app-01'), 'name'],
    ['apps never built', 'limit=11&build=None', (s: StoredSummary) => s.build === null, 'name'],
    ['everything by activity', 'limit=8&sort=activity', () => true, 'activity'],
    [
      'one team by activity',
      'limit=8&sort=activity&team=search&health=Healthy',
      (s: StoredSummary) => s.team === 'search' && s.health.status === 'Healthy',
      'activity',
    ],
    [
      'a prefix by activity',
      'limit=2&sort=activity&q=app-11',
      (s: StoredSummary) => s.app.startsWith('app-11'),
      'activity',
    ],
  ] as const)('pages %s with a cursor, each app once, in order', async (_what, query, keep, sort) => {
    expect(await pages(query)).toEqual(expected(keep, sort));
  });

  it("shows a user only their teams' apps, filtering in the query (full pages, not filtered after paging)", async () => {
    const first = await list('limit=10', alice);
    expect(first.body.items).toHaveLength(10);
    expect(await pages('limit=10', alice)).toEqual(
      expected((s) => s.team === 'payments' || s.team === 'search'),
    );
    expect(await pages('limit=10&sort=activity', alice)).toEqual(
      expected((s) => s.team === 'payments' || s.team === 'search', 'activity'),
    );
    const other = await list('team=content', alice);
    expect(other.status).toBe(403);
    expect(other.body).toEqual({
      error: { code: 'FORBIDDEN', message: 'you are not in team content', details: { team: 'content' } },
    });
  });

  it('serves concurrent pages whole and each its own', async () => {
    // Each page is written into a buffer lent to its response until it closes: a buffer lent to two
    // responses at once would show in another page's bytes. (Pages this size reach the kernel
    // within res.end(); test/apps/page-buffers.spec.ts holds a response in Node's queue.)
    const queries = [
      'limit=120',
      'limit=120&team=content',
      'limit=50&sort=activity',
      'limit=90&health=Healthy',
    ];
    const alone = new Map<string, string>();
    for (const query of queries) alone.set(query, (await rawGet(query)).body);
    const runs = Array.from({ length: 48 }, (_, i) => queries[i % queries.length] as string);
    const answers = await Promise.all(runs.map((query, i) => rawGet(query, i % 3 === 0 ? 40 : 0)));
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(answer.length).toBe(Buffer.byteLength(answer.body));
      expect(answer.body).toBe(alone.get(runs[i] as string));
    });
    expect((JSON.parse(alone.get('limit=120') as string) as Page).items).toHaveLength(120);
  });

  /** GET of a list page over its own connection, read `pauseMs` after its first bytes. */
  function rawGet(query: string, pauseMs = 0): Promise<{ status: number; length: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.get(
        `${replica.base}/summary/v1/apps?${query}`,
        { headers: { authorization: `Bearer ${admin}` }, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            if (pauseMs > 0 && chunks.length === 1) {
              res.pause();
              setTimeout(() => res.resume(), pauseMs);
            }
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              length: Number(res.headers['content-length']),
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
  }

  it('stays stable when apps are added and removed between pages', async () => {
    const first = await list('limit=10');
    const extra = summaryFactory({ app: 'app-000a', team: 'payments' });
    await writer.write(epoch, [extra], ['app-011']);
    try {
      const rest = await pages('limit=10', admin, first.body.nextCursor);
      const names = [...first.body.items.map((a) => a.app), ...rest];
      expect(new Set(names).size).toBe(names.length);
      expect(names).not.toContain('app-011');
    } finally {
      await writer.write(epoch, [all[11] as StoredSummary], ['app-000a']);
    }
  });

  it('marks the parts of a disconnected source stale, in items and in the page', async () => {
    const res = await list('limit=1');
    expect(res.body.stale).toBe(true);
    expect(res.body.sources).toMatchObject({
      kubernetes: { stale: true, connected: false, reason: 'connect ECONNREFUSED 10.96.0.1:443' },
      argocd: { stale: false, connected: true },
    });
    expect(res.body.items[0]).toMatchObject({ staleParts: ['pods', 'rollout', 'lastWarning'], stale: true });
    // Why a source is down is the upstream's own text: admins only.
    const mine = await list('limit=1', alice);
    expect(mine.body.sources).toMatchObject({ kubernetes: { stale: true, connected: false, reason: null } });
  });

  it("returns one app, and the same 404 for an unknown one and another team's", async () => {
    const one = await getJson<AppSummary>(`${replica.base}/summary/v1/apps/app-000`, alice);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ app: 'app-000', team: 'payments' });
    const missing = await getJson(`${replica.base}/summary/v1/apps/nope`, alice);
    expect(missing).toEqual({
      status: 404,
      body: { error: { code: 'APP_NOT_FOUND', message: 'app "nope" not found', details: { app: 'nope' } } },
    });
    const hidden = await getJson(`${replica.base}/summary/v1/apps/app-001`, alice);
    expect(hidden).toEqual({
      status: 404,
      body: {
        error: { code: 'APP_NOT_FOUND', message: 'app "app-001" not found', details: { app: 'app-001' } },
      },
    });
  });

  it('counts per team for admins, and refuses everyone else (teams, the collecting pod and upstream errors)', async () => {
    const res = await getJson<{
      total: { apps: number; health: Record<string, number> };
      teams: Record<string, unknown>;
    }>(`${replica.base}/summary/v1/stats`, admin);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.teams)).toEqual(['content', 'payments', 'search']);
    expect(res.body.total.apps).toBe(all.length);
    expect(res.body.total.health.Degraded).toBe(all.filter((s) => s.health.status === 'Degraded').length);
    const refused = await getJson(`${replica.base}/summary/v1/stats`, alice);
    expect(refused).toEqual({
      status: 403,
      body: {
        error: {
          code: 'ADMIN_ONLY',
          message:
            "the stats (every team's counts, the collecting pod, the upstreams' errors) are for platform admins; the app list has your teams' apps",
        },
      },
    });
  });

  it.each([
    ['health=Sick', 'health must be one of Healthy, Progressing, Degraded, Suspended, Missing, Unknown'],
    ['limit=0', 'limit must be between 1 and 200'],
    ['sort=size', 'sort must be one of name, activity'],
    ['q=A*', 'q must be the start of an app name (a-z, 0-9, -)'],
    [`team=${'a'.repeat(64)}`, 'team must be at most 63 characters'],
    ['environment=Prod', 'environment must be an environment name (a DNS-1123 label, e.g. prod)'],
    ['environment=prod:*', 'environment must be an environment name (a DNS-1123 label, e.g. prod)'],
  ])('refuses %s saying what to fix', async (query, message) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(message);
  });

  it('refuses a cursor made for another sort', async () => {
    const first = await list('limit=2');
    const res = await list(`sort=activity&cursor=${first.body.nextCursor ?? ''}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
  });

  it('refuses writes from an epoch that is no longer the leader', async () => {
    const newer = await writer.claim();
    await expect(writer.write(epoch, [all[0] as StoredSummary], [])).rejects.toBeInstanceOf(FencedError);
    epoch = newer;
  });

  it('answers 503 with Retry-After when Redis is away', async () => {
    const down = await startReplica(
      {
        REDIS_URL: DEAD_REDIS_URL,
        ...TEST_AUTH_ENV,
        ...TEST_LIMITS_ENV,
        ARGO_SERVER_URL: 'http://127.0.0.1:1',
        ARGOCD_SERVER_URL: 'http://127.0.0.1:1',
        ARGOCD_PASSWORD: 'unused',
        SUMMARY_COLLECT: 'false',
      },
      { ready: false },
    );
    try {
      const res = await fetch(`${down.base}/summary/v1/apps`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await res.json()).toMatchObject({ error: { code: 'REDIS_UNAVAILABLE' } });
    } finally {
      await down.close();
    }
  });
});
