import { Kinds } from '../../src/core/resource-kinds';
import { application, createRollout, pod } from './support/factories';
import { parseRaw, RawConnection } from './support/raw-http';
import { startArgoCd } from './support/servers';
import { StreamReader } from './support/stream-reader';
import { until } from './support/until';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REPO = 'http://git.sandbox.local/team/web-manifests.git';

describe('Argo CD server streams and trees', () => {
  let server: Awaited<ReturnType<typeof startArgoCd>>;
  const readers: StreamReader[] = [];
  const open = (path: string): StreamReader => {
    const reader = StreamReader.start(server.url, path, {
      Authorization: `Bearer ${server.token}`,
      Accept: 'text/event-stream',
    });
    readers.push(reader);
    return reader;
  };
  const store = () => server.ctx.store;
  const seed = (name: string, overrides = {}) =>
    store().create(Kinds.Application, application(name, REPO, overrides));
  const openStreams = () => server.ctx.faults.openStreams('argocd').length;

  beforeEach(async () => {
    server = await startArgoCd({ keepaliveMs: 600_000 });
  });
  afterEach(async () => {
    for (const reader of readers.splice(0)) reader.close();
    await server.close();
  });

  describe('application watch', () => {
    it('sends every app as ADDED (key `application`, sorted), then changes', async () => {
      seed('b');
      const a = seed('a');
      const reader = open('/api/v1/stream/applications');
      await reader.waitForMessages(2);
      store().mutate(
        Kinds.Application,
        'argocd',
        'a',
        (app) => (app.status = { sync: { status: 'Synced' } }),
      );
      const messages = (await reader.waitForMessages(3)) as Obj[];
      expect(
        messages.map((m) => `${m.result.type as string}:${m.result.application.metadata.name as string}`),
      ).toEqual(['ADDED:a', 'ADDED:b', 'MODIFIED:a']);
      expect(
        reader.body.startsWith(
          `data: ${JSON.stringify({ result: { type: 'ADDED', application: a } })} \n\n\n`,
        ),
      ).toBe(true);
    });

    it('suppresses a message identical to the last one for the same app', async () => {
      seed('a', { status: { sync: { status: 'OutOfSync' } } });
      const reader = open(
        '/api/v1/stream/applications?fields=result.type,result.application.metadata.name,result.application.status.sync.status',
      );
      await reader.waitForMessages(1);
      for (const status of ['OutOfSync', 'Synced', 'Synced', 'Synced', 'OutOfSync']) {
        store().mutate(Kinds.Application, 'argocd', 'a', (app) => (app.status = { sync: { status } }));
      }
      seed('marker');
      const messages = (await reader.waitForMessages(5)) as Obj[];
      expect(
        messages.map(
          (m) => `${m.result.type as string}:${(m.result.application.status?.sync?.status as string) ?? '-'}`,
        ),
      ).toEqual([
        'ADDED:OutOfSync',
        'MODIFIED:OutOfSync',
        'MODIFIED:Synced',
        'MODIFIED:OutOfSync',
        'ADDED:-',
      ]);
    });

    it('with a resourceVersion and no name sends no initial apps and skips older ones', async () => {
      const a = seed('a');
      const reader = open(`/api/v1/stream/applications?resourceVersion=${a.metadata.resourceVersion ?? ''}`);
      await until(() => openStreams() === 1);
      store().mutate(
        Kinds.Application,
        'argocd',
        'a',
        (app) => (app.status = { sync: { status: 'Synced' } }),
      );
      const messages = (await reader.waitForMessages(1)) as Obj[];
      expect(messages[0]?.result.type).toBe('MODIFIED');
    });

    it('with a name sends that app as ADDED even with a resourceVersion', async () => {
      seed('a');
      const b = seed('b');
      const reader = open(
        `/api/v1/stream/applications?name=b&resourceVersion=${b.metadata.resourceVersion ?? ''}`,
      );
      const messages = (await reader.waitForMessages(1)) as Obj[];
      expect(messages[0]?.result).toMatchObject({ type: 'ADDED', application: { metadata: { name: 'b' } } });
    });

    it('under force410 treats a resume as a fresh watch: everything again as ADDED', async () => {
      seed('a');
      server.ctx.faults.set('argocd', { force410: true });
      const reader = open(`/api/v1/stream/applications?resourceVersion=${store().resourceVersion}`);
      const messages = (await reader.waitForMessages(1)) as Obj[];
      expect(messages[0]?.result.type).toBe('ADDED');
    });

    it('fails with 401 and an SSE error frame without a session', async () => {
      const conn = await RawConnection.get(server.url, '/api/v1/stream/applications', {
        Accept: 'text/event-stream',
      });
      const { status, chunks } = parseRaw(await conn.waitForEnd());
      expect(status).toBe(401);
      expect(chunks).toEqual([
        'data: {"error":{"grpc_code":16,"http_code":401,"message":"no session information","http_status":"Unauthorized"}} \n\n',
      ]);
      conn.close();
    });
  });

  const rollout = (podPhase = 'Running') => createRollout(store(), 'web', 'web-dev', podPhase);

  describe('resource tree', () => {
    it('builds Deployment → ReplicaSet → Pod with parents, health, info and images', async () => {
      seed('web');
      const { deployment, rs, pod: p } = rollout();
      const res = await server.call('GET', '/api/v1/applications/web/resource-tree');
      expect(res.status).toBe(200);
      const { nodes } = res.json as { nodes: Obj[] };
      expect(
        nodes.map((n) => `${(n.group as string) ?? ''}/${n.kind as string}/${n.name as string}`),
      ).toEqual(['/Pod/web-5d8f-abcde', 'apps/Deployment/web', 'apps/ReplicaSet/web-5d8f']);
      expect(nodes[0]).toEqual({
        version: 'v1',
        kind: 'Pod',
        namespace: 'web-dev',
        name: 'web-5d8f-abcde',
        uid: p.metadata.uid,
        parentRefs: [
          { group: 'apps', kind: 'ReplicaSet', namespace: 'web-dev', name: 'web-5d8f', uid: rs.metadata.uid },
        ],
        info: [
          { name: 'Status Reason', value: 'Running' },
          { name: 'Node', value: 'sandbox-node' },
          { name: 'Containers', value: '1/1' },
        ],
        resourceVersion: p.metadata.resourceVersion,
        images: ['registry.sandbox.local/team/main:1'],
        health: { status: 'Healthy' },
        createdAt: p.metadata.creationTimestamp,
      });
      expect(nodes[1]).toMatchObject({
        group: 'apps',
        uid: deployment.metadata.uid,
        health: { status: 'Healthy' },
        info: [{ name: 'Revision', value: 'Rev:1' }],
      });
      expect(nodes[1]?.parentRefs).toBeUndefined();
    });

    it('streams a new tree on each change and none at first', async () => {
      seed('web');
      const { pod: p } = rollout('Pending');
      const reader = open('/api/v1/stream/applications/web/resource-tree');
      await until(() => openStreams() === 1);
      store().mutate(Kinds.Pod, 'web-dev', p.metadata.name ?? '', (o) =>
        Object.assign(o.status as Obj, pod('x', { containers: ['main'] }).status),
      );
      const messages = (await reader.waitForMessages(1)) as Obj[];
      const podNode = (messages[0]?.result.nodes as Obj[]).find((n) => n.kind === 'Pod');
      expect(podNode?.health).toEqual({ status: 'Healthy' });
      expect(reader.messages).toHaveLength(1);
    });
  });

  it('lists the Events of the app', async () => {
    const app = seed('web');
    server.ctx.events.record(
      app,
      'Normal',
      'OperationStarted',
      'admin initiated sync to main',
      'argocd-server',
    );
    server.ctx.events.record(seed('other'), 'Normal', 'OperationStarted', 'x', 'argocd-server');
    const res = await server.call('GET', '/api/v1/applications/web/events');
    const body = res.json as Obj;
    expect((body.items as Obj[]).map((e) => e.reason as string)).toEqual(['OperationStarted']);
    expect(body.metadata.resourceVersion).toEqual(expect.any(String));
  });

  describe('logs', () => {
    it('merges the pods’ lines in time order, then a last entry', async () => {
      seed('web');
      rollout();
      server.ctx.logs.append(
        'web-dev',
        'web-5d8f-abcde',
        'main',
        'listening on :8080',
        new Date('2025-01-01T10:00:00.120Z'),
      );
      const reader = open('/api/v1/applications/web/logs?container=main&follow=false');
      await reader.waitForEnd();
      const messages = reader.messages as Obj[];
      expect(messages[0]).toEqual({
        result: {
          content: 'listening on :8080',
          timeStamp: '2025-01-01T10:00:00Z',
          last: false,
          timeStampStr: '2025-01-01T10:00:00.12Z',
          podName: 'web-5d8f-abcde',
        },
      });
      expect(messages[1]).toMatchObject({ result: { content: '', last: true, podName: '' } });
      expect(messages).toHaveLength(2);
    });

    it('follows until the pod’s container ends', async () => {
      seed('web');
      rollout();
      const reader = open('/api/v1/applications/web/logs?follow=true&tailLines=10');
      await until(() => openStreams() === 1);
      server.ctx.logs.append('web-dev', 'web-5d8f-abcde', 'main', 'request 1');
      await reader.waitForMessages(1);
      server.ctx.logs.end('web-dev', 'web-5d8f-abcde', 'main');
      await reader.waitForEnd();
      expect((reader.messages as Obj[]).map((m) => m.result.last as boolean)).toEqual([false, true]);
    });

    it('ends without any entry when the app has no pods', async () => {
      seed('web');
      const reader = open('/api/v1/applications/web/logs?follow=true');
      await reader.waitForEnd();
      expect(reader.status).toBe(200);
      expect(reader.body).toBe('');
    });
  });
});
