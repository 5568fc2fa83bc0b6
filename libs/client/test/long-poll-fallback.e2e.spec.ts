import { Kinds, seedApps, type KubeObject } from '@platform/sandbox';
import { waitUntil } from '@platform/service-runtime/testing';
import { performance } from 'node:perf_hooks';
import { PlatformClient, type AppEventsStreamEvent, type EventStream } from '../src';
import { startBufferingProxy, type BufferingProxy } from './support/buffering-proxy';
import { startPlatform, type RunningPlatform } from './support/platform';

const APP = 'app-00001';
const NS = 'payments-dev';
/** Each long poll's wait, in seconds. */
const WAIT = 4;

/** Events of a stream as they arrive, each with the time it arrived (this process's monotonic clock). */
function record(stream: EventStream<AppEventsStreamEvent>): {
  got: Array<{ event: AppEventsStreamEvent; at: number }>;
  done: Promise<void>;
} {
  const got: Array<{ event: AppEventsStreamEvent; at: number }> = [];
  return { got, done: stream.forEach((event) => void got.push({ event, at: performance.now() })) };
}

const reasonOf = (e: AppEventsStreamEvent): string | undefined =>
  e.event === 'event' ? e.data.reason : undefined;

/**
 * The typed client behind a gateway that buffers whole responses (Zuul 1): its SSE connection
 * delivers nothing, so it goes on with the long-poll form by itself; the caller sees the same events.
 */
describe('PlatformClient behind a gateway that holds streamed responses', () => {
  let platform: RunningPlatform;
  let proxy: BufferingProxy;
  let task: string;

  beforeAll(async () => {
    platform = await startPlatform();
    await seedApps(platform.sandbox.ctx, { apps: 1, teams: ['payments'], podsPerApp: 1, workflowsPerApp: 1 });
    task =
      platform.sandbox.ctx.store
        .list(Kinds.Workflow, { namespace: 'argo' })
        .items.map((w) => w.metadata.name ?? '')
        .find((name) => name.includes(APP)) ?? '';
    proxy = await startBufferingProxy(platform.baseUrl);
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await platform?.stop();
  });

  const client = (baseUrl: string): PlatformClient =>
    new PlatformClient({ baseUrl, token: platform.tokens.alice });

  it('switches to long polls: every event once, in order, each within wait + 1 s of the SSE stream', async () => {
    // The reference: the same stream straight from the gateway, over SSE.
    const direct = client(platform.baseUrl).streamEvents(APP, { transport: 'sse' });
    const buffered = client(proxy.origin).streamEvents(APP, {
      longPollAfterMs: 1500,
      longPollWaitSeconds: WAIT,
    });
    const reference = record(direct);
    const polled = record(buffered);
    await waitUntil(
      async () => {
        expect(reference.got[0]?.event.event).toBe('snapshot');
        expect(polled.got[0]?.event.event).toBe('snapshot');
        return Promise.resolve();
      },
      30_000,
      50,
    );
    // The SSE attempt never got an answer through the proxy; then came polls.
    expect(proxy.requests[0]).toEqual({
      path: expect.stringContaining(`/apps/${APP}/events`),
      accept: 'text/event-stream',
    });
    expect(proxy.requests[1]?.path).toContain(`wait=${WAIT}`);

    // Changes in bursts and pauses; two pauses outlast a poll's wait, so empty answers come between.
    const pod = platform.sandbox.ctx.store
      .list(Kinds.Pod, { namespace: NS })
      .items.find((p) => (p.metadata.name ?? '').startsWith(`${APP}-`)) as KubeObject;
    const pausesMs = [0, 300, WAIT * 1000 + 500, 20, 20, 1000, WAIT * 1000 + 500, 200];
    const emitted: string[] = [];
    for (const [i, pause] of pausesMs.entries()) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      emitted.push(`Zuul${i}`);
      platform.sandbox.ctx.events.record(pod, 'Normal', `Zuul${i}`, `change ${i}`, 'kubelet');
    }
    const reasons = (got: typeof polled.got): string[] =>
      got.flatMap(({ event }) => reasonOf(event) ?? []).filter((r) => r.startsWith('Zuul'));
    await waitUntil(
      async () => {
        expect(reasons(polled.got)).toHaveLength(emitted.length);
        expect(reasons(reference.got)).toHaveLength(emitted.length);
        return Promise.resolve();
      },
      30_000,
      50,
    );
    direct.close();
    buffered.close();
    await Promise.all([reference.done, polled.done]);

    // Every change once, in order, with the very ids of the SSE form.
    expect(reasons(polled.got)).toEqual(emitted);
    const ids = polled.got.map(({ event }) => event.lastEventId);
    expect(new Set(ids).size).toBe(ids.length);
    const sentAt = new Map(reference.got.map(({ event, at }) => [event.lastEventId, at]));
    // How much later each arrived than over SSE: the delay the long polls added (the upstream's and
    // this busy machine's own delays are in both, and cancel out). The bound: wait + 1 s.
    const added = polled.got
      .filter(({ event }) => reasonOf(event)?.startsWith('Zuul') === true)
      .map(({ event, at }) => at - (sentAt.get(event.lastEventId) ?? Number.NaN));
    expect(added).toHaveLength(emitted.length);
    for (const ms of added) expect(ms).toBeLessThanOrEqual((WAIT + 1) * 1000);
    // The pauses made some polls end empty, after their wait.
    expect(proxy.requests.filter((r) => r.events === 0).length).toBeGreaterThan(0);
    expect(proxy.requests.every((r) => r.status === undefined || r.status === 200)).toBe(true);
  }, 90_000);

  it('follows a task to its complete and stops; one that ended is told so (204) and yields nothing', async () => {
    const stream = client(proxy.origin).streamTask(task, {
      longPollAfterMs: 1000,
      longPollWaitSeconds: WAIT,
    });
    const events: string[] = [];
    await stream.forEach((e) => void events.push(e.event));
    expect(events).toEqual(['snapshot', 'complete']);
    expect(stream.lastEventId).toMatch(/\.end$/);

    const before = proxy.requests.length;
    const again = client(proxy.origin).streamTask(task, {
      transport: 'long-poll',
      lastEventId: stream.lastEventId,
    });
    const after: string[] = [];
    await again.forEach((e) => void after.push(e.event));
    expect(after).toEqual([]);
    expect(proxy.requests.slice(before).map((r) => r.status)).toEqual([204]);
  }, 60_000);
});
