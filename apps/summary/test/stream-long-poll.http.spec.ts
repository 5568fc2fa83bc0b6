import type { AppSummary } from '@platform/domain';
import {
  openSse,
  signTestToken,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  TEST_REDIS_URL,
  type RawSseResponse,
} from '@platform/service-runtime/testing';
import { LongPolls } from '@platform/service-runtime';
import { Redis } from 'ioredis';
import { scripted } from '../src/store/scripted-redis';
import { SummaryKeys } from '../src/store/summary-keys';
import { SummaryWriter } from '../src/store/summary-writer';
import { framesOf } from './support/sse-frames';
import { summaryFactory } from './support/summary.factory';
import { deletePrefix, startReplica, testPrefix, until, type Replica } from './support/summary-harness';

interface Answer {
  events: Array<{ event: string; id?: string; data: unknown }>;
  cursor: string;
}

/**
 * The long-poll form of `/stream` (for gateways that hold a streamed response until it ends): the
 * same events and ids as the SSE form, as JSON, on two read-only replicas over one real Redis.
 */
describe('summary stream, long-poll form (real Redis)', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const writer = new SummaryWriter(scripted(redis), new SummaryKeys(prefix), 100);
  const replicas: Replica[] = [];
  const open: RawSseResponse[] = [];
  let epoch: string;
  let admin: string;
  let alice: string;
  let version = 0;

  const change = async (...apps: Array<[app: string, team: string]>): Promise<void> => {
    version += 1;
    const summaries = apps.map(([app, team]) =>
      summaryFactory({ app, team, health: { status: 'Healthy', message: `v${version}` } }),
    );
    await writer.write(epoch, summaries, []);
  };
  const poll = async (
    replica: Replica,
    token: string,
    query: Record<string, string>,
  ): Promise<{ status: number; body: unknown }> => {
    const url = new URL(`${replica.base}/summary/v1/stream`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json() };
  };
  const answer = async (replica: Replica, token: string, query: Record<string, string>): Promise<Answer> => {
    const res = await poll(replica, token, query);
    expect(res.status).toBe(200);
    return res.body as Answer;
  };
  const apps = (a: Answer): string[][] =>
    a.events.map((e) => [e.event, (e.data as { app?: string }).app ?? '']);

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

  it('starts with the snapshot, then answers as soon as a change comes, on either replica, and empty after the wait', async () => {
    const first = await answer(replicas[0]!, admin, { wait: '5' });
    expect(first.events).toEqual([
      { event: 'snapshot', id: first.cursor, data: { reason: 'new', message: expect.any(String) } },
    ]);
    const pending = answer(replicas[1]!, admin, { wait: '30', cursor: first.cursor });
    await until(() => {
      expect(replicas[1]!.app.get(LongPolls).count).toBe(1);
      return Promise.resolve();
    });
    await change(['shop', 'payments']);
    const next = await pending;
    expect(apps(next)).toEqual([['app', 'shop']]);
    expect((next.events[0]?.data as AppSummary).health.message).toBe(`v${version}`);
    expect(next.cursor).toBe(next.events[0]?.id);
    expect(await answer(replicas[0]!, admin, { wait: '1', cursor: next.cursor })).toEqual({
      events: [],
      cursor: next.cursor,
    });
  });

  it('takes an SSE id as its cursor, and its cursor resumes an SSE stream', async () => {
    const sse = await openSse(`${replicas[0]!.base}/summary/v1/stream?access_token=${admin}`);
    open.push(sse);
    await sse.waitFor((text) => text.includes('event: snapshot'));
    const sseId = framesOf(sse.text())[0]?.id ?? '';
    sse.close();
    await change(['cart', 'payments']);
    const polled = await answer(replicas[1]!, admin, { wait: '5', cursor: sseId });
    expect(apps(polled)).toEqual([['app', 'cart']]);
    await change(['blog', 'content']);
    const resumed = await openSse(`${replicas[0]!.base}/summary/v1/stream?access_token=${admin}`, {
      'last-event-id': polled.cursor,
    });
    open.push(resumed);
    await resumed.waitFor((text) => text.includes('event: app'));
    expect(framesOf(resumed.text()).map((f) => [f.event, (f.data as { app: string }).app])).toEqual([
      ['app', 'blog'],
    ]);
  });

  it("moves the cursor past other teams' changes it does not show", async () => {
    const first = await answer(replicas[0]!, alice, { wait: '5' });
    await change(['blog', 'content']);
    const quiet = await answer(replicas[0]!, alice, { wait: '1', cursor: first.cursor });
    expect(quiet.events).toEqual([]);
    const [[newest] = []] = await redis.xrevrange(`${prefix}changes`, '+', '-', 'COUNT', 1);
    expect(quiet.cursor).toBe(newest);
  });

  it('refuses a wait over 30 s and a cursor without wait, saying what to fix', async () => {
    const tooLong = await poll(replicas[0]!, admin, { wait: '45' });
    expect(tooLong).toEqual({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request has 1 invalid field: wait',
          details: {
            fields: [{ field: 'wait', problems: ['wait must be a whole number of seconds from 0 to 30'] }],
          },
        },
      },
    });
    const noWait = await poll(replicas[0]!, admin, { cursor: '1-0' });
    expect(noWait.status).toBe(400);
  });
});
