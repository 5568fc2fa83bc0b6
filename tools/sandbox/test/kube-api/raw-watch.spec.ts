import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, eventually, type KubeHarness, podObject, startKube } from './harness';
import { openStream } from './raw-stream';

describe('Kubernetes API watch on the wire', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube({ bookmarkIntervalMs: 30 });
    createNamespace(h.ctx, 'team-a');
  });
  afterEach(() => h.close());

  test('writes one JSON event per line on a chunked application/json body', async () => {
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'one'));
    const stream = await openStream(`${h.url}/api/v1/namespaces/team-a/pods?watch=1`);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('application/json');
    expect(stream.headers['transfer-encoding']).toBe('chunked');
    await eventually(() => expect(stream.lines()).toHaveLength(1));
    const event = JSON.parse(stream.lines()[0] ?? '') as {
      type: string;
      object: { kind: string; apiVersion: string };
    };
    expect(event).toMatchObject({
      type: 'ADDED',
      object: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'one' } },
    });
    stream.close();
  });

  test('sends BOOKMARK events carrying only the kind and the current resourceVersion', async () => {
    const stream = await openStream(
      `${h.url}/api/v1/namespaces/team-a/pods?watch=true&allowWatchBookmarks=true`,
    );
    h.ctx.store.create(Kinds.Pod, podObject('team-b', 'elsewhere'));
    await eventually(() =>
      expect(JSON.parse(stream.lines().at(-1) ?? 'null')).toEqual({
        type: 'BOOKMARK',
        object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: h.ctx.store.resourceVersion } },
      }),
    );
    // Bookmarks only: the pod of another namespace is no event of this watch.
    expect(stream.lines().every((line) => line.startsWith('{"type":"BOOKMARK"'))).toBe(true);
    stream.close();
  });

  test('marks the end of the initial events with a bookmark when asked for them', async () => {
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'one'));
    const stream = await openStream(
      `${h.url}/api/v1/namespaces/team-a/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=`,
    );
    await eventually(() => expect(stream.lines().length).toBeGreaterThanOrEqual(2));
    const [added, end] = stream
      .lines()
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: unknown } });
    expect(added?.type).toBe('ADDED');
    expect(end).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: {
          resourceVersion: h.ctx.store.resourceVersion,
          annotations: { 'k8s.io/initial-events-end': 'true' },
        },
      },
    });
    stream.close();
  });

  test('ends the stream cleanly after timeoutSeconds', async () => {
    const stream = await openStream(`${h.url}/apis/apps/v1/deployments?watch=1&timeoutSeconds=1`);
    await stream.ended;
    expect(stream.text()).toBe('');
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(0));
  });

  test('answers a too old resourceVersion with HTTP 200, one ERROR line, and the end', async () => {
    h.ctx.store.expireHistory();
    const stream = await openStream(`${h.url}/api/v1/namespaces/team-a/pods?watch=1&resourceVersion=1`);
    await stream.ended;
    expect(stream.status).toBe(200);
    const oldest = h.ctx.store.oldestResumableVersion;
    expect(stream.text()).toBe(
      `{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (${oldest})","reason":"Expired","code":410}}\n`,
    );
  });

  test('keeps a silenced stream open without writing, and tracks and drops it', async () => {
    h.ctx.faults.set('kube', { silentStreams: true });
    const silent = openStream(`${h.url}/api/v1/namespaces/team-a/pods?watch=1&allowWatchBookmarks=true`);
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(1));
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'unseen'));
    expect(h.ctx.faults.openStreams('kube')[0]?.path).toBe(
      '/api/v1/namespaces/team-a/pods?watch=1&allowWatchBookmarks=true',
    );
    expect(h.ctx.faults.dropStreams('kube')).toBe(1);
    // Headers were never sent, so the client sees a dropped connection.
    await expect(silent).rejects.toThrow();
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(0));
  });

  test('rejects bad watch parameters with a 400 Status before streaming', async () => {
    const stream = await openStream(
      `${h.url}/api/v1/pods?watch=1&labelSelector=${encodeURIComponent('a in b')}`,
    );
    await stream.ended;
    expect(stream.status).toBe(400);
    expect(stream.headers['content-type']).toBe('application/json');
    expect(JSON.parse(stream.text())).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });
});
