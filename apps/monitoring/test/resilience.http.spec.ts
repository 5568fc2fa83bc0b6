import { Kinds, seedApps, type KubeObject } from '@platform/sandbox';
import net from 'node:net';
import { signTestToken } from '@platform/service-runtime/testing';
import type { AppStatus } from '@platform/domain';
import { appStatusOf } from '../src/app-status/app-status';
import { argocdApp, startPlatform, until, type Platform } from './harness';
import { SseClient, type SseEvent } from './sse-events';

const APP = 'app-00001';
const NS = 'payments-dev';

/** What a client believes the app's status is after applying its events. */
function statusState(events: SseEvent[]): AppStatus | null {
  let state: AppStatus | null = null;
  for (const e of events) if (e.event === 'snapshot' || e.event === 'status') state = e.data as AppStatus;
  return state;
}

const comparable = (status: AppStatus | null): string => JSON.stringify({ ...status, reconciledAt: null });

describe('streams under upstream faults, fan-out and expiry (seeded apps)', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        STREAM_CLIENT_BUFFER_BYTES: '65536',
        // Fan-out: 100 clients and many reconnects of one user, far beyond a portal's (see limits.http.spec.ts).
        STREAMS_PER_USER: '1000',
        RATE_LIMIT_STREAM_OPENS: '100000',
      },
    });
    await seedApps(platform.sandbox.ctx, { apps: 2, teams: ['payments'], podsPerApp: 3, workflowsPerApp: 2 });
  });
  afterAll(() => platform.stop());

  const stream = (
    p: string,
    headers: Record<string, string> = {},
    token = platform.tokens.alice,
  ): Promise<SseClient> =>
    SseClient.open(
      `${platform.base}/monitoring/v1${p}${p.includes('?') ? '&' : '?'}access_token=${token}`,
      headers,
    );

  /** A new sync revision, as a push and refresh would write: a change clients must see. */
  const bumpRevision = (revision: string): void => {
    platform.sandbox.ctx.store.mutate(Kinds.Application, 'argocd', `${APP}-dev`, (app) => {
      const status = app.status as { sync: { revision?: string } };
      status.sync.revision = revision;
    });
  };

  async function expectTruth(client: SseClient): Promise<void> {
    const truth = appStatusOf(await argocdApp(platform.sandbox, `${APP}-dev`), {
      app: APP,
      environment: 'dev',
    });
    await client.raw.waitFor(() => comparable(statusState(client.events())) === comparable(truth), 15_000);
  }

  afterEach(() => platform.sandbox.ctx.faults.clear());

  it('after dropped upstream streams, says reconnecting, sends a fresh snapshot and ends at the truth', async () => {
    const client = await stream(`/apps/${APP}/status/stream`);
    await client.waitForEvent((e) => e.event === 'snapshot');
    bumpRevision('rev-before-drop');
    await client.waitForEvent((e) => e.event === 'status');
    expect(platform.sandbox.ctx.faults.dropStreams('argocd')).toBeGreaterThan(0);
    bumpRevision('rev-during-drop');
    await client.waitForEvent((e) => e.event === 'reconnecting');
    await expectTruth(client);
    const names = client.events().map((e) => e.event);
    expect(names.lastIndexOf('snapshot')).toBeGreaterThan(names.indexOf('reconnecting'));
    expect(statusState(client.events())?.sync.revision).toBe('rev-during-drop');
    client.close();
  });

  it('after an upstream silent past the idle timeout (no data, no keepalive), reconnects on its own and ends at the truth', async () => {
    const client = await stream(`/apps/${APP}/status/stream`);
    await client.waitForEvent((e) => e.event === 'snapshot');
    platform.sandbox.ctx.faults.set('argocd', { silentStreams: true });
    bumpRevision('rev-while-silent');
    // The stream says nothing; past UPSTREAM_IDLE_TIMEOUT_MS (2 s here) the watch judges it dead
    // and reconnects, and the list of the new connection brings the change, though every stream
    // is still silent.
    await client.waitForEvent((e) => e.event === 'reconnecting');
    await expectTruth(client);
    const names = client.events().map((e) => e.event);
    expect(names.lastIndexOf('snapshot')).toBeGreaterThan(names.indexOf('reconnecting'));
    expect(statusState(client.events())?.sync.revision).toBe('rev-while-silent');
    client.close();
  });

  it('after 410 Expired on resume, relists: the events stream says reconnecting, resends a snapshot and misses nothing', async () => {
    const client = await stream(`/apps/${APP}/events`);
    await client.waitForEvent((e) => e.event === 'snapshot');
    const pod = platform.sandbox.ctx.store
      .list(Kinds.Pod, { namespace: NS })
      .items.find((p) => (p.metadata.name ?? '').startsWith(`${APP}-`)) as KubeObject;
    platform.sandbox.ctx.faults.set('kube', { force410: true });
    platform.sandbox.ctx.faults.dropStreams('kube');
    platform.sandbox.ctx.events.record(
      pod,
      'Warning',
      'BackOff',
      'recorded while the watch was down',
      'kubelet',
    );
    await client.waitForEvent((e) => e.event === 'reconnecting');
    platform.sandbox.ctx.faults.set('kube', {});
    const seen = (events: SseEvent[]): boolean =>
      events.some(
        (e) =>
          (e.event === 'snapshot' &&
            (e.data as Array<{ message: string }>).some(
              (x) => x.message === 'recorded while the watch was down',
            )) ||
          (e.event === 'event' &&
            (e.data as { message: string }).message === 'recorded while the watch was down'),
      );
    await client.raw.waitFor(() => seen(client.events()), 15_000);
    client.close();
  });

  it('100 clients of one app share one upstream watch per kind, and none is left after they leave', async () => {
    const ctx = platform.sandbox.ctx;
    const open = (): { argocd: number; events: number; pods: number; logs: number } => {
      const streams = ctx.faults.openStreams();
      return {
        argocd: streams.filter((s) => s.upstream === 'argocd' && s.path === '/api/v1/stream/applications')
          .length,
        events: streams.filter(
          (s) => s.upstream === 'kube' && s.path.startsWith(`/api/v1/namespaces/${NS}/events?`),
        ).length,
        pods: streams.filter(
          (s) => s.upstream === 'kube' && s.path.startsWith(`/api/v1/namespaces/${NS}/pods?`),
        ).length,
        logs: streams.filter((s) => s.upstream === 'kube' && s.path.includes('/log?')).length,
      };
    };
    await until(
      'no streams left from earlier tests',
      () => JSON.stringify(open()) === JSON.stringify({ argocd: 0, events: 0, pods: 0, logs: 0 }),
    );
    const clients: SseClient[] = [];
    for (let i = 0; i < 100; i += 1) {
      clients.push(await stream(`/apps/${APP}/status/stream`));
      clients.push(await stream(`/apps/${APP}/events`));
      clients.push(await stream(`/apps/${APP}/logs`));
    }
    await Promise.all(clients.map((c) => c.waitForEvent((e) => e.event === 'snapshot')));
    await until('the pods logs to attach', () => open().logs === 3);
    expect(open()).toEqual({ argocd: 1, events: 1, pods: 1, logs: 3 });
    expect(platform.hub.size).toBe(3);

    clients.forEach((c) => c.close());
    await until(
      'every upstream stream to close after the grace period',
      () => JSON.stringify(open()) === JSON.stringify({ argocd: 0, events: 0, pods: 0, logs: 0 }),
    );
    expect(platform.hub.size).toBe(0);
  }, 60_000);

  it('a reconnect within the grace period resumes from Last-Event-ID; an unknown id gets a snapshot', async () => {
    const first = await stream(`/apps/${APP}/status/stream`);
    await first.waitForEvent((e) => e.event === 'snapshot');
    bumpRevision('rev-a');
    await first.waitForEvent((e) => e.event === 'status');
    const lastId = first.lastId() ?? '';
    first.close();
    bumpRevision('rev-b');
    const resumed = await stream(`/apps/${APP}/status/stream`, { 'last-event-id': lastId });
    const next = await resumed.waitForEvent(() => true);
    expect(next).toMatchObject({ event: 'status', data: { sync: { revision: 'rev-b' } } });
    expect(Number(next.id?.split('.')[1])).toBe(Number(lastId.split('.')[1]) + 1);
    resumed.close();
    const stranger = await stream(`/apps/${APP}/status/stream`, { 'last-event-id': 'gone.42' });
    expect((await stranger.waitForEvent(() => true)).event).toBe('snapshot');
    stranger.close();
  });

  it('resumes a multiplexed stream again and again: every id carries every topic, quiet ones get no second snapshot', async () => {
    const topics = `status:${APP},status:app-00002,events:${APP}`;
    const open = (headers: Record<string, string> = {}): Promise<SseClient> =>
      stream(`/stream?topics=${topics}`, headers);
    const first = await open();
    await first.raw.waitFor(() => first.events().filter((e) => e.event === 'snapshot').length === 3);
    const seen: SseEvent[] = [...first.events()];
    let lastId = first.lastId() ?? '';
    first.close();
    // app-00002 stays quiet: only app-00001 changes between the reconnections.
    for (const revision of ['rev-m1', 'rev-m2', 'rev-m3']) {
      bumpRevision(revision);
      const again = await open({ 'last-event-id': lastId });
      const next = await again.waitForEvent((e) => e.event === 'status');
      expect((next.data as { data: AppStatus }).data.sync.revision).toBe(revision);
      // Every topic's position is in the id, the quiet one's too.
      expect(next.id?.split('~')).toHaveLength(4);
      seen.push(...again.events());
      lastId = again.lastId() ?? '';
      again.close();
    }
    expect(seen.filter((e) => e.event === 'snapshot')).toHaveLength(3);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);

    // A cursor this service never issued (damaged, or another release's format) starts over from snapshots.
    const damaged = await open({ 'last-event-id': `${lastId.slice(0, -3)}xyz` });
    await damaged.raw.waitFor(() => damaged.events().filter((e) => e.event === 'snapshot').length === 3);
    damaged.close();
  });

  it('closes a client that stops reading with an overflow event; the others keep streaming', async () => {
    const url = new URL(
      `${platform.base}/monitoring/v1/apps/${APP}/events?access_token=${platform.tokens.alice}`,
    );
    const slow = net.connect(Number(url.port), url.hostname);
    slow.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`);
    slow.pause();
    const reader = await stream(`/apps/${APP}/events`);
    await reader.waitForEvent((e) => e.event === 'snapshot');
    await until('both clients on the topic', () => platform.hub.peek(`events:${APP}@dev`)?.listeners === 2);
    const pod = platform.sandbox.ctx.store.list(Kinds.Pod, { namespace: NS }).items[0] as KubeObject;
    const filler = 'x'.repeat(4000);
    let last = -1;
    for (let i = 0; i < 4000 && platform.hub.peek(`events:${APP}@dev`)?.listeners === 2; i += 1) {
      platform.sandbox.ctx.events.record(pod, 'Normal', `Fill${i}`, `${filler} ${i}`, 'bench');
      last = i;
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await until(
      'the slow client to be dropped',
      () => platform.hub.peek(`events:${APP}@dev`)?.listeners === 1,
    );
    let received = '';
    slow.setEncoding('utf8');
    slow.on('data', (chunk: string) => (received += chunk));
    slow.resume();
    // The response ends with the overflow event (the connection itself may stay for keep-alive).
    await until('the overflow event', () => received.includes('event: overflow'));
    slow.destroy();
    expect(last).toBeGreaterThan(0);
    // The reader that keeps up got every event, the last one included.
    const reasons = (): string[] =>
      reader.events().flatMap((e) => (e.event === 'event' ? [(e.data as { reason: string }).reason] : []));
    await until('the reader to get the last event', () => reasons().includes(`Fill${last}`));
    expect(reasons().filter((r) => r.startsWith('Fill'))).toHaveLength(last + 1);
    reader.close();
  }, 60_000);

  it('ends the stream with an unauthorized event when the token expires, instead of leaving it open', async () => {
    const token = await signTestToken({ sub: 'alice', teams: ['payments'], expiresIn: 2 });
    const client = await stream(`/apps/${APP}/status/stream`, {}, token);
    await client.waitForEvent((e) => e.event === 'snapshot');
    await client.raw.ended;
    const last = client.events().at(-1);
    expect(last?.event).toBe('unauthorized');
  });
});
