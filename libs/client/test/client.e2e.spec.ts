import type { CiResult, CreateResult, DeleteResult, Task } from '@platform/domain';
import { waitUntil } from '@platform/service-runtime/testing';
import { randomUUID } from 'node:crypto';
import {
  PlatformApiError,
  PlatformClient,
  type AppStatus,
  type StreamEvent,
  type SummaryStreamEvent,
} from '../src';
import { startPlatform, type RunningPlatform } from './support/platform';

/** Every field of the client's AppStatus type: the compiler keeps this list complete. */
const APP_STATUS_FIELDS: Record<keyof AppStatus, true> = {
  app: true,
  environment: true,
  application: true,
  sync: true,
  health: true,
  operation: true,
  resources: true,
  images: true,
  reconciledAt: true,
};

async function collect<E extends StreamEvent>(stream: AsyncIterable<E>): Promise<E[]> {
  const events: E[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Polls `check` until it passes, rethrowing its last failure after `timeoutMs`. */
function until<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  return waitUntil(check, timeoutMs, 100);
}

/**
 * The client as a portal uses it, against the running services behind the gateway and the
 * sandbox: create an app, follow its task live to the end, read it back, see it in the app list
 * (and its change on the summary stream), watch it on one multiplexed connection, build and deploy it.
 */
describe('PlatformClient against the running platform', () => {
  let platform: RunningPlatform;
  let client: PlatformClient;
  let summary: { events: SummaryStreamEvent[]; close(): void; done: Promise<void> };
  let created: Task;
  let tokensAskedFor = 0;

  beforeAll(async () => {
    platform = await startPlatform();
    client = new PlatformClient({
      baseUrl: `${platform.baseUrl}/`,
      // Asked for on every request, as a portal refreshing its token would do.
      token: () => {
        tokensAskedFor += 1;
        return Promise.resolve(platform.tokens.alice);
      },
    });
    // Open before anything changes: the create must show up on it.
    const events: SummaryStreamEvent[] = [];
    const stream = client.streamSummary();
    summary = { events, close: () => stream.close(), done: stream.forEach((e) => void events.push(e)) };
  }, 120_000);
  afterAll(async () => {
    summary?.close();
    await summary?.done;
    await platform?.stop();
  });

  it('lists the templates with their parameters, asking for the token on each request', async () => {
    const asked = tokensAskedFor;
    const templates = await client.templates();
    expect(tokensAskedFor).toBe(asked + 1);
    expect(templates.map((t) => t.name)).toEqual(expect.arrayContaining(['node-service']));
    expect(await client.template('node-service')).toMatchObject({
      name: 'node-service',
      parameters: expect.arrayContaining([expect.objectContaining({ name: 'greeting', type: 'string' })]),
    });
  });

  it('creates an app, idempotently: the same key answers the same task', async () => {
    const request = {
      name: 'shop',
      team: 'payments',
      template: 'node-service',
      parameters: { greeting: 'Hi' },
    };
    // The task service remembers keys in the shared Redis: one of this run's own.
    const idempotencyKey = randomUUID();
    created = await client.createApp(request, { idempotencyKey });
    expect(created).toMatchObject({
      type: 'create',
      app: 'shop',
      team: 'payments',
      requestedBy: 'alice',
      links: { self: `/task/v1/tasks/${created.id}`, stream: `/monitoring/v1/tasks/${created.id}/stream` },
    });
    expect((await client.createApp(request, { idempotencyKey })).id).toBe(created.id);
  });

  it('follows the create task live to `complete`, then reads the same task back', async () => {
    const events = await collect(client.streamTask(created.id));
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('snapshot');
    expect(names.at(-1)).toBe('complete');
    expect(names).toContain('log');
    const last = events.at(-1);
    if (last?.event !== 'complete') throw new Error('the stream did not end with complete');
    expect(last.data).toMatchObject({ id: created.id, phase: 'Succeeded' });
    expect(last.lastEventId).not.toBe('');
    for (const event of events) {
      if (event.event === 'log')
        expect(event.data).toEqual({
          pod: expect.any(String),
          step: expect.anything(),
          line: expect.any(String),
        });
      if (event.event === 'task') expect(event.data.id).toBe(created.id);
    }

    const task = await client.getTask(created.id);
    expect(task).toMatchObject({ id: created.id, phase: 'Succeeded', finishedAt: last.data.finishedAt });
    expect(task.steps.map((s) => [s.name, s.phase])).toEqual(last.data.steps.map((s) => [s.name, s.phase]));
    expect((task.result as CreateResult).argocdApp).toBe('shop-dev');
    expect((await client.listTasks({ app: 'shop', type: 'create' })).items.map((t) => t.id)).toEqual([
      created.id,
    ]);
  });

  it('refuses with the platform’s error envelope: status, code, message and details', async () => {
    const exists = await client
      .createApp({ name: 'shop', team: 'payments', template: 'node-service' })
      .catch((error: unknown) => error);
    expect(exists).toBeInstanceOf(PlatformApiError);
    expect(exists).toMatchObject({ status: 409, code: 'APP_EXISTS', retryable: false });

    const invalid = await client
      .createApp({ name: 'Shop!', team: 'payments', template: 'node-service' })
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: expect.any(Object) });
    expect((invalid as PlatformApiError).message).toMatch(/name/);

    const bob = new PlatformClient({ baseUrl: platform.baseUrl, token: platform.tokens.bob });
    // Another team's task is as unknown as a missing one.
    await expect(bob.getTask(created.id)).rejects.toMatchObject({ status: 404, code: 'TASK_NOT_FOUND' });
    await expect(bob.streamTask(created.id).forEach(() => undefined)).rejects.toMatchObject({
      status: 404,
      code: 'TASK_NOT_FOUND',
    });
  });

  it('finds the app in the summary service’s list, one app and the stats, and saw it on the summary stream', async () => {
    const page = await until(async () => {
      const listed = await client.listApps({ q: 'shop', team: 'payments' });
      expect(listed.items.map((a) => a.app)).toEqual(['shop']);
      expect(listed.items[0]?.sync.status).toBe('Synced');
      return listed;
    });
    expect(page.nextCursor).toBeNull();
    expect(await client.getApp('shop')).toMatchObject({
      app: 'shop',
      team: 'payments',
      template: 'node-service',
    });
    await expect(client.stats()).rejects.toMatchObject({ status: 403, code: 'ADMIN_ONLY' });
    const admin = new PlatformClient({ baseUrl: platform.baseUrl, token: platform.tokens.root });
    const stats = await admin.stats();
    expect(stats.teams.payments?.apps).toBe(1);
    await until(() =>
      Promise.resolve(
        expect(summary.events.some((e) => e.event === 'app' && e.data.app === 'shop')).toBe(true),
      ),
    );
  });

  it('reads the app’s status, events and logs, and opens them on one multiplexed connection', async () => {
    const status = await client.appStatus('shop');
    expect(status).toMatchObject({ app: 'shop', sync: { status: 'Synced' } });
    // The client's type has exactly the fields the service sends.
    expect(Object.keys(status).sort()).toEqual(Object.keys(APP_STATUS_FIELDS).sort());
    expect(Array.isArray(await client.recentEvents('shop', 10))).toBe(true);
    expect(Array.isArray(await client.recentLogs('shop', { tail: 10 }))).toBe(true);

    const stream = client.streamApp('shop');
    const snapshots = new Map<string, unknown>();
    await stream.forEach((event) => {
      if (event.event === 'snapshot') snapshots.set(event.kind, event.data);
      if (snapshots.size === 3) stream.close();
    });
    expect([...snapshots.keys()].sort()).toEqual(['events', 'logs', 'status']);
    expect(snapshots.get('status')).toMatchObject({ app: 'shop' });
    expect(snapshots.get('logs')).toEqual({ pods: expect.any(Array), lines: expect.any(Array) });
    expect(stream.lastEventId).not.toBe('');
  });

  it('builds and deploys it, following both tasks on the multiplexed stream', async () => {
    const ci = await client.build('shop', { ref: 'main' }, { idempotencyKey: randomUUID() });
    const ciEvents = await collect(client.streamTopics([`task:${ci.id}`]));
    const ciDone = ciEvents.at(-1);
    expect(ciDone).toMatchObject({
      topic: `task:${ci.id}`,
      kind: 'task',
      event: 'complete',
      data: { phase: 'Succeeded' },
    });
    const image = ((await client.getTask(ci.id)).result as CiResult).image ?? '';
    const tag = image.slice(image.lastIndexOf(':') + 1);
    expect(tag).not.toBe('');

    const cd = await client.deploy('shop', { environment: 'dev', tag });
    const cdDone = (await collect(client.streamTask(cd.id))).at(-1);
    expect(cdDone).toMatchObject({ event: 'complete', data: { phase: 'Succeeded', result: { image } } });
    await until(async () => {
      expect(await client.getApp('shop')).toMatchObject({
        build: { taskId: ci.id, phase: 'Succeeded' },
        deploy: { taskId: cd.id, phase: 'Succeeded', image },
      });
    });
  });

  it('retires it: the delete task succeeds, the summary drops the app (list, read, stream) and its status is gone', async () => {
    const retired = await client.retire('shop', { idempotencyKey: randomUUID() });
    expect(retired).toMatchObject({ type: 'delete', app: 'shop' });
    const done = (await collect(client.streamTask(retired.id))).at(-1);
    expect(done).toMatchObject({ event: 'complete', data: { phase: 'Succeeded' } });
    expect(((await client.getTask(retired.id)).result as DeleteResult).deletedApplications).toEqual([
      'shop-dev',
    ]);
    await until(async () => {
      expect((await client.listApps({ q: 'shop', team: 'payments' })).items).toEqual([]);
    });
    await expect(client.getApp('shop')).rejects.toMatchObject({ status: 404 });
    await expect(client.appStatus('shop')).rejects.toMatchObject({ status: 404 });
    await until(() =>
      Promise.resolve(
        expect(summary.events.some((e) => e.event === 'deleted' && e.data.app === 'shop')).toBe(true),
      ),
    );
  });
});
