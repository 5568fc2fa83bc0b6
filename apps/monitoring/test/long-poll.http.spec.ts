import { Kinds, seedApps, type KubeObject } from '@platform/sandbox';
import { LongPolls } from '@platform/service-runtime';
import { startPlatform, until, type Platform } from './harness';
import { SseClient } from './sse-events';

const APP = 'app-00001';
const NS = 'payments-dev';

interface Answer {
  events: Array<{ event: string; id?: string; data: unknown }>;
  cursor: string;
}

/**
 * The long-poll form of every stream: plain JSON answers with the SSE form's events and ids, for
 * clients behind a gateway that does not pass Server-Sent Events through.
 */
describe('long-poll form of the streams (seeded apps)', () => {
  let platform: Platform;
  let task: string;

  beforeAll(async () => {
    platform = await startPlatform({ env: { STREAM_POLL_HOLD_MS: '5000' } });
    await seedApps(platform.sandbox.ctx, { apps: 2, teams: ['payments'], podsPerApp: 1, workflowsPerApp: 1 });
    task =
      platform.sandbox.ctx.store
        .list(Kinds.Workflow, { namespace: 'argo' })
        .items.map((w) => w.metadata.name ?? '')
        .find((name) => name.includes(APP)) ?? '';
  });
  afterAll(() => platform.stop());

  const poll = async (
    path: string,
    query: Record<string, string>,
    token = platform.tokens.alice,
  ): Promise<{ status: number; body: unknown; headers: Headers }> => {
    const url = new URL(`${platform.base}/monitoring/v1${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text === '' ? null : (JSON.parse(text) as unknown),
    };
  };
  const answer = async (path: string, query: Record<string, string>): Promise<Answer> => {
    const res = await poll(path, query);
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
      status: 200,
      type: expect.stringMatching(/^application\/json/),
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    return res.body as Answer;
  };
  const record = (reason: string): void => {
    const pod = platform.sandbox.ctx.store
      .list(Kinds.Pod, { namespace: NS })
      .items.find((p) => (p.metadata.name ?? '').startsWith(`${APP}-`)) as KubeObject;
    platform.sandbox.ctx.events.record(pod, 'Warning', reason, `${reason} happened`, 'kubelet');
  };

  it('starts from a snapshot, answers as soon as an event comes after the cursor, and empty with the same cursor after the wait', async () => {
    const first = await answer(`/apps/${APP}/events`, { wait: '5' });
    expect(first.events.map((e) => e.event)).toEqual(['snapshot']);
    expect(first.cursor).toBe(first.events[0]?.id);

    const pending = answer(`/apps/${APP}/events`, { wait: '30', cursor: first.cursor });
    // The poll is waiting (held by the server) before the event exists.
    await until('the poll to be held', () => platform.app.get(LongPolls).count === 1);
    record('PollOne');
    const next = await pending;
    expect(next.events.map((e) => [e.event, (e.data as { reason: string }).reason])).toEqual([
      ['event', 'PollOne'],
    ]);
    expect(next.cursor).toBe(next.events[0]?.id);

    const quiet = await answer(`/apps/${APP}/events`, { wait: '1', cursor: next.cursor });
    expect(quiet).toEqual({ events: [], cursor: next.cursor });
  });

  it('uses the same ids as the SSE form: an SSE id is a cursor, a cursor is a Last-Event-ID', async () => {
    const sse = await SseClient.open(
      `${platform.base}/monitoring/v1/apps/${APP}/events?access_token=${platform.tokens.alice}`,
    );
    const snapshot = await sse.waitForEvent((e) => e.event === 'snapshot');
    record('BothForms');
    const live = await sse.waitForEvent((e) => e.event === 'event');
    sse.close();
    const polled = await answer(`/apps/${APP}/events`, { wait: '5', cursor: snapshot.id ?? '' });
    expect(polled.events.map((e) => [e.event, e.id, e.data])).toEqual([['event', live.id, live.data]]);

    record('BackToSse');
    const resumed = await SseClient.open(
      `${platform.base}/monitoring/v1/apps/${APP}/events?access_token=${platform.tokens.alice}`,
      { 'last-event-id': polled.cursor },
    );
    const after = await resumed.waitForEvent(() => true);
    resumed.close();
    expect([after.event, (after.data as { reason: string }).reason]).toEqual(['event', 'BackToSse']);
  });

  it('answers every stream route, the multiplexed one with the same cursor form as its SSE ids', async () => {
    for (const path of [
      `/apps/${APP}/status/stream`,
      `/apps/${APP}/logs`,
      `/apps/${APP}/events`,
      `/tasks/${task}/stream`,
    ]) {
      const first = await answer(path, { wait: '5' });
      expect({ path, first: first.events[0]?.event }).toEqual({ path, first: 'snapshot' });
    }
    const topics = `status:${APP},events:${APP},status:app-00002`;
    // An answer goes out once there is an event: the topics' snapshots may come in several.
    const snapshots: string[] = [];
    let cursor: string | undefined;
    while (snapshots.length < 3) {
      const next = await answer('/stream', {
        topics,
        wait: '5',
        ...(cursor === undefined ? {} : { cursor }),
      });
      snapshots.push(...next.events.map((e) => `${(e.data as { topic: string }).topic} ${e.event}`));
      cursor = next.cursor;
    }
    expect(snapshots.sort()).toEqual([
      `events:${APP} snapshot`,
      `status:${APP} snapshot`,
      'status:app-00002 snapshot',
    ]);
    const first = { cursor: cursor ?? '' };
    expect(first.cursor).toMatch(/^m1~/);
    record('Multiplexed');
    const next = await answer('/stream', { topics, wait: '5', cursor: first.cursor });
    expect(next.events.map((e) => [(e.data as { topic: string }).topic, e.event])).toEqual([
      [`events:${APP}`, 'event'],
    ]);
    // Each of the three topics' positions is in the cursor, the two quiet ones included.
    expect(next.cursor.split('~')).toHaveLength(4);
  });

  it('ends a finished task: its complete, then 204 for a cursor at the end, as the SSE form does', async () => {
    const first = await answer(`/tasks/${task}/stream`, { wait: '10' });
    let cursor = first.cursor;
    const events = [...first.events];
    while (events.at(-1)?.event !== 'complete') {
      const next = await answer(`/tasks/${task}/stream`, { wait: '10', cursor });
      events.push(...next.events);
      cursor = next.cursor;
    }
    expect(cursor).toMatch(/\.end$/);
    const done = await poll(`/tasks/${task}/stream`, { wait: '10', cursor });
    expect([done.status, done.body]).toEqual([204, null]);
    const sse = await fetch(`${platform.base}/monitoring/v1/tasks/${task}/stream`, {
      headers: { authorization: `Bearer ${platform.tokens.alice}`, 'last-event-id': cursor },
    });
    expect(sse.status).toBe(204);
  });

  it('keeps the topic between polls for STREAM_POLL_HOLD_MS (not the shorter SSE grace), so the next poll resumes', async () => {
    const key = `status:app-00002@dev`;
    const first = await answer('/apps/app-00002/status/stream', { wait: '5' });
    // Longer than STREAM_GRACE_MS (300 ms here): an SSE client gone this long would have let it close.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(platform.hub.peek(key)).toBeDefined();
    const next = await answer('/apps/app-00002/status/stream', { wait: '1', cursor: first.cursor });
    expect(next.events).toEqual([]);
  });

  it('refuses a bad wait, a cursor without wait, and follow=false with wait, saying what to fix; auth as on the SSE form', async () => {
    const problems = async (path: string, query: Record<string, string>): Promise<unknown> => {
      const res = await poll(path, query);
      expect(res.status).toBe(400);
      return (res.body as { error: { details: { fields: unknown } } }).error.details.fields;
    };
    expect(await problems(`/apps/${APP}/status/stream`, { wait: '31' })).toEqual([
      { field: 'wait', problems: ['wait must be a whole number of seconds from 0 to 30'] },
    ]);
    expect(await problems(`/apps/${APP}/status/stream`, { wait: 'soon' })).toEqual([
      {
        field: 'wait',
        problems: expect.arrayContaining(['wait must be a whole number of seconds from 0 to 30']),
      },
    ]);
    expect(await problems(`/apps/${APP}/status/stream`, { cursor: 'x' })).toEqual([
      {
        field: 'wait',
        problems: [expect.stringContaining('cursor selects the long-poll form and needs wait')],
      },
    ]);
    expect(await problems(`/apps/${APP}/events`, { follow: 'false', wait: '5' })).toEqual([
      {
        field: 'follow',
        problems: [expect.stringContaining('follow=false answers the newest items at once')],
      },
    ]);
    // Another team's app is answered as a missing one (its existence is not confirmed).
    expect((await poll(`/apps/${APP}/status/stream`, { wait: '1' }, platform.tokens.bob)).status).toBe(404);
    const anonymous = await fetch(`${platform.base}/monitoring/v1/apps/${APP}/status/stream?wait=1`);
    expect(anonymous.status).toBe(401);
  });
});
