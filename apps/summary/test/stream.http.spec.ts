import type { AppSummary } from '@platform/domain';
import {
  openSse,
  signTestToken,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  TEST_REDIS_URL,
  type RawSseResponse,
} from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { scripted } from '../src/store/scripted-redis';
import { SummaryKeys } from '../src/store/summary-keys';
import { SummaryWriter } from '../src/store/summary-writer';
import { framesOf, type Frame } from './support/sse-frames';
import { summaryFactory } from './support/summary.factory';
import { deletePrefix, startReplica, testPrefix, until, type Replica } from './support/summary-harness';

const CAP = 100;

/**
 * The resumable `/stream` through HTTP on two read-only replicas over one real Redis: changes are
 * written through the leader's scripts, clients disconnect, reconnect (on the other replica) with
 * their Last-Event-ID and must see every change they missed exactly once, then live ones.
 */
describe('summary stream: resume with Last-Event-ID across replicas (real Redis)', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const writer = new SummaryWriter(scripted(redis), new SummaryKeys(prefix), CAP);
  const replicas: Replica[] = [];
  const open: RawSseResponse[] = [];
  let epoch: string;
  let admin: string;
  let alice: string;
  let version = 0;

  /** Writes `apps` with a new health text each time, so that every write is a change. */
  const change = async (...apps: Array<[app: string, team: string]>): Promise<void> => {
    version += 1;
    const summaries = apps.map(([app, team]) =>
      summaryFactory({ app, team, health: { status: 'Healthy', message: `v${version}` } }),
    );
    await writer.write(epoch, summaries, []);
  };
  const stream = async (replica: Replica, token: string, lastEventId?: string): Promise<RawSseResponse> => {
    const res = await openSse(
      `${replica.base}/summary/v1/stream?access_token=${token}`,
      lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
    );
    open.push(res);
    return res;
  };
  const frames = (res: RawSseResponse): Frame[] => framesOf(res.text());
  /** The newest entry of the changes stream: its id and fields. */
  const newest = async (): Promise<[string, string[]]> => {
    const [entry] = await redis.xrevrange(`${prefix}changes`, '+', '-', 'COUNT', 1);
    if (entry === undefined) throw new Error('the changes stream is empty');
    return entry;
  };
  const lastId = (res: RawSseResponse): string => frames(res).at(-1)?.id ?? '';
  /** The stream's first frame is a `snapshot` for `reason`, whose id is the current position. */
  const expectSnapshotFirst = async (res: RawSseResponse, reason: string): Promise<void> => {
    await res.waitFor((text) => text.includes('event: snapshot'));
    const [first] = frames(res);
    const [tail] = await newest();
    expect(first).toEqual({ event: 'snapshot', id: tail, data: { reason, message: expect.any(String) } });
  };
  /** Waits until `res` has a frame about `app` whose health message is `message`. */
  const sawApp = (res: RawSseResponse, app: string, message: string): Promise<string> =>
    res.waitFor((text) =>
      framesOf(text).some(
        (f) =>
          f.event === 'app' &&
          (f.data as AppSummary).app === app &&
          (f.data as AppSummary).health.message === message,
      ),
    );

  beforeAll(async () => {
    epoch = await writer.claim();
    for (const name of ['replica-a', 'replica-b']) {
      replicas.push(
        await startReplica({
          REDIS_URL: TEST_REDIS_URL,
          ...TEST_AUTH_ENV,
          ...TEST_LIMITS_ENV,
          ARGO_SERVER_URL: 'http://127.0.0.1:1',
          ARGOCD_SERVER_URL: 'http://127.0.0.1:1',
          ARGOCD_PASSWORD: 'unused',
          SUMMARY_COLLECT: 'false',
          SUMMARY_KEY_PREFIX: prefix,
          POD_NAME: name,
        }),
      );
    }
    admin = await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] });
    alice = await signTestToken({ sub: 'alice', teams: ['payments'] });
    await change(['shop', 'payments'], ['blog', 'content']);
  });
  afterAll(async () => {
    for (const res of open) res.close();
    for (const replica of replicas) await replica.close();
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('starts a new connection with a `snapshot` (load the list) whose id is the current position', async () => {
    const res = await stream(replicas[0]!, admin);
    await expectSnapshotFirst(res, 'new');
    await change(['shop', 'payments']);
    await sawApp(res, 'shop', `v${version}`);
    expect(frames(res)[1]).toMatchObject({ event: 'app', id: expect.stringMatching(/^\d+-\d+$/) });
  });

  it('resumes on the other replica with exactly the missed changes, each app once, then live', async () => {
    const first = await stream(replicas[0]!, admin);
    await first.waitFor((text) => text.includes('event: snapshot'));
    await change(['shop', 'payments']);
    await sawApp(first, 'shop', `v${version}`);
    const resumeFrom = lastId(first);
    first.close();

    // Missed while away: three writes of shop (one replayed event), one of blog, a deletion.
    await change(['shop', 'payments'], ['blog', 'content']);
    await change(['shop', 'payments'], ['cart', 'payments']);
    await change(['shop', 'payments']);
    const shopNow = `v${version}`;
    await writer.write(epoch, [], ['cart']);

    const second = await stream(replicas[1]!, admin, resumeFrom);
    await second.waitFor((text) => text.includes('event: deleted'));
    const replayed = frames(second);
    expect(replayed.map((f) => [f.event, (f.data as { app: string }).app])).toEqual([
      ['app', 'blog'],
      ['app', 'shop'],
      ['deleted', 'cart'],
    ]);
    expect((replayed[1]?.data as AppSummary).health.message).toBe(shopNow);
    expect(replayed[1]?.data).toMatchObject({ stale: expect.any(Boolean), staleParts: expect.any(Array) });

    await change(['blog', 'content']);
    await sawApp(second, 'blog', `v${version}`);
    const ids = frames(second).map((f) => f.id ?? '');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, i) => i === 0 || compare(ids[i - 1]!, id) < 0)).toBe(true);
    expect(compare(resumeFrom, ids[0]!)).toBeLessThan(0);
  });

  it('switches from replay to live without a gap or a repeat while changes keep coming', async () => {
    const first = await stream(replicas[0]!, admin);
    await first.waitFor((text) => text.includes('event: snapshot'));
    await change(['shop', 'payments']);
    await sawApp(first, 'shop', `v${version}`);
    const resumeFrom = lastId(first);
    first.close();

    // Every write names its app after its number, so each must arrive exactly once. Paced, and
    // fewer than the stream's cap: the resume point must not be trimmed away meanwhile.
    let n = 0;
    const writes = (async () => {
      while (n < CAP / 2) {
        n += 1;
        await writer.write(epoch, [summaryFactory({ app: `burst-${n}`, team: 'payments' })], []);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 60));
    const second = await stream(replicas[1]!, admin, resumeFrom);
    await writes;
    await until(() => {
      const apps = frames(second).map((f) => (f.data as { app: string }).app);
      expect(apps).toEqual(Array.from({ length: n }, (_, i) => `burst-${i + 1}`));
      return Promise.resolve();
    }, 5000);
  });

  it('ends the stream with an unauthorized event when the token expires, instead of leaving it open', async () => {
    const shortLived = await signTestToken({ sub: 'alice', teams: ['payments'], expiresIn: 2 });
    const res = await stream(replicas[0]!, shortLived);
    await res.waitFor((text) => text.includes('event: snapshot'));
    await res.waitFor((text) => text.includes('event: unauthorized'), 10_000);
    expect(frames(res).at(-1)).toEqual({
      event: 'unauthorized',
      data: { message: 'your token has expired; sign in again and reopen the stream' },
    });
  });

  it("replays only the caller's teams' changes", async () => {
    const first = await stream(replicas[0]!, alice);
    await first.waitFor((text) => text.includes('event: snapshot'));
    const resumeFrom = lastId(first);
    first.close();
    await change(['blog', 'content'], ['shop', 'payments']);
    await writer.write(epoch, [], ['blog']);
    await change(['checkout', 'payments']);

    const second = await stream(replicas[1]!, alice, resumeFrom);
    await sawApp(second, 'checkout', `v${version}`);
    const seen = frames(second).map((f) => [f.event, (f.data as { app: string }).app]);
    expect(seen).toEqual([
      ['app', 'shop'],
      ['app', 'checkout'],
    ]);
  });

  it("opens with a stream ticket issued by another replica, once, with the caller's teams", async () => {
    const issued = await fetch(`${replicas[0]!.base}/summary/v1/stream-tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}` },
    });
    expect(issued.status).toBe(201);
    const { ticket } = (await issued.json()) as { ticket: string };
    const res = await openSse(`${replicas[1]!.base}/summary/v1/stream?ticket=${ticket}`);
    open.push(res);
    expect(res.status).toBe(200);
    await res.waitFor((text) => text.includes('event: snapshot'));
    await change(['blog', 'content'], ['shop', 'payments']);
    await sawApp(res, 'shop', `v${version}`);
    expect(
      frames(res)
        .filter((f) => f.event === 'app')
        .map((f) => (f.data as AppSummary).app),
    ).toEqual(['shop']);
    const reused = await fetch(`${replicas[0]!.base}/summary/v1/stream?ticket=${ticket}`);
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('INVALID_TICKET');
  });

  it('takes the cursor from ?lastEventId= too (EventSource cannot set headers)', async () => {
    const first = await stream(replicas[0]!, admin);
    await first.waitFor((text) => text.includes('event: snapshot'));
    const resumeFrom = lastId(first);
    first.close();
    await change(['shop', 'payments']);
    const res = await openSse(
      `${replicas[1]!.base}/summary/v1/stream?access_token=${admin}&lastEventId=${resumeFrom}`,
    );
    open.push(res);
    await sawApp(res, 'shop', `v${version}`);
    expect(frames(res)[0]?.event).toBe('app');
  });

  it.each([
    ['trimmed from the capped stream', 'trimmed'],
    ['unknown to this stream', '1-0'],
    ['not a stream id', 'garbage'],
  ])('tells a client whose id is %s to reload the list', async (_what, id) => {
    let cursor = id;
    if (id === 'trimmed') {
      const res = await stream(replicas[0]!, admin);
      await res.waitFor((text) => text.includes('event: snapshot'));
      cursor = lastId(res);
      res.close();
      // More than the cap: the stream keeps about the last CAP changes.
      for (let i = 0; i < 3 * CAP; i += 1) await change([`many-${i % 7}`, 'payments']);
      const kept = (await redis.xrange(`${prefix}changes`, cursor, cursor)) as unknown[];
      expect(kept).toEqual([]);
    }
    const res = await stream(replicas[1]!, admin, cursor);
    await expectSnapshotFirst(res, 'expired');
    // And it goes on live from there.
    await change(['shop', 'payments']);
    await sawApp(res, 'shop', `v${version}`);
  });

  it('keeps the changes stream small: type, app, team and epoch per entry, capped', async () => {
    const [, fields] = await newest();
    expect(fields).toEqual(['type', 'upsert', 'app', 'shop', 'team', 'payments', 'epoch', epoch]);
    expect(await redis.xlen(`${prefix}changes`)).toBeLessThan(3 * CAP);
  });
});

function compare(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}
