import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, type KubeHarness, podObject, raw, startKube } from './harness';

type Obj = {
  metadata: Record<string, unknown>;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
} & Record<string, unknown>;

async function send(
  h: KubeHarness,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const response = await raw(`${h.url}${path}`, {
    method,
    headers: { 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.contentType).toBe('application/json');
  return { status: response.status, body: response.json() as Obj };
}

describe('Kubernetes API writes on the wire', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube();
    createNamespace(h.ctx, 'team-a');
  });
  afterEach(() => h.close());

  test('create with generateName answers 201 with the server-set fields', async () => {
    const { status, body } = await send(h, 'POST', '/apis/apps/v1/namespaces/team-a/deployments', {
      metadata: { generateName: 'api-' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: { containers: [{ name: 'api', image: 'api:1' }] },
        },
      },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: 'team-a', generation: 1 },
    });
    expect(body.metadata.name).toMatch(/^api-[a-z0-9]{5}$/);
    expect(body.metadata.uid).toEqual(expect.any(String));
  });

  test('merge, strategic merge and JSON patches; a stale resourceVersion in a patch is 409', async () => {
    h.ctx.store.create(Kinds.ConfigMap, {
      metadata: { name: 'cfg', namespace: 'team-a', labels: { a: '1' } },
      data: { x: '1', y: '2' },
    });
    const path = '/api/v1/namespaces/team-a/configmaps/cfg';
    const merged = await send(
      h,
      'PATCH',
      path,
      { metadata: { labels: { b: '2' } }, data: { y: null } },
      'application/merge-patch+json',
    );
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ metadata: { labels: { a: '1', b: '2' } }, data: { x: '1' } });
    expect(merged.body.data).not.toHaveProperty('y');
    const strategic = await send(
      h,
      'PATCH',
      path,
      { data: { z: '3' } },
      'application/strategic-merge-patch+json; charset=utf-8',
    );
    expect(strategic.body.data).toEqual({ x: '1', z: '3' });
    const ops = [
      { op: 'test', path: '/data/x', value: '1' },
      { op: 'replace', path: '/data/x', value: 'one' },
      { op: 'add', path: '/metadata/labels/c~1d', value: '3' },
      { op: 'remove', path: '/data/z' },
    ];
    const patched = await send(h, 'PATCH', path, ops, 'application/json-patch+json');
    expect(patched.body).toMatchObject({
      data: { x: 'one' },
      metadata: { labels: { a: '1', b: '2', 'c/d': '3' } },
    });
    const failedTest = await send(
      h,
      'PATCH',
      path,
      [{ op: 'test', path: '/data/x', value: 'nope' }],
      'application/json-patch+json',
    );
    expect(failedTest.status).toBe(422);
    const stale = await send(
      h,
      'PATCH',
      path,
      { metadata: { resourceVersion: '2' } },
      'application/merge-patch+json',
    );
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
  });

  test('status changes only through /status, which changes nothing else', async () => {
    const created = await send(h, 'POST', '/api/v1/namespaces/team-a/pods', podObject('team-a', 'web'));
    expect(created.body.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    const path = '/api/v1/namespaces/team-a/pods/web';

    const mainPut = await send(h, 'PUT', path, {
      ...created.body,
      metadata: { ...created.body.metadata, labels: { v: '2' } },
      status: { phase: 'Failed' },
    });
    expect(mainPut.body).toMatchObject({ metadata: { labels: { v: '2' } }, status: { phase: 'Pending' } });

    const statusPut = await send(h, 'PUT', `${path}/status`, {
      ...mainPut.body,
      metadata: { ...mainPut.body.metadata, labels: {} },
      status: { phase: 'Running' },
    });
    expect(statusPut.body).toMatchObject({ metadata: { labels: { v: '2' } }, status: { phase: 'Running' } });

    const statusPatch = await send(
      h,
      'PATCH',
      `${path}/status`,
      { status: { podIP: '10.0.0.7' }, spec: { nodeName: 'x' } },
      'application/merge-patch+json',
    );
    expect(statusPatch.body.status).toEqual({ phase: 'Running', podIP: '10.0.0.7' });
    expect(statusPatch.body.spec).not.toHaveProperty('nodeName');
    expect((await send(h, 'GET', `${path}/status`)).body.status).toEqual({
      phase: 'Running',
      podIP: '10.0.0.7',
    });
  });

  test('delete answers the object, a Success Status, or 202 with the object finalizers hold', async () => {
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'web'));
    const pod = await send(h, 'DELETE', '/api/v1/namespaces/team-a/pods/web');
    expect(pod).toMatchObject({ status: 200, body: { kind: 'Pod', metadata: { name: 'web' } } });

    const lease = h.ctx.store.create(Kinds.Lease, {
      metadata: { name: 'leader', namespace: 'team-a' },
      spec: {},
    });
    const leaseDeleted = await send(
      h,
      'DELETE',
      '/apis/coordination.k8s.io/v1/namespaces/team-a/leases/leader',
    );
    expect(leaseDeleted).toEqual({
      status: 200,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name: 'leader', group: 'coordination.k8s.io', kind: 'leases', uid: lease.metadata.uid },
      },
    });

    h.ctx.store.create(Kinds.Application, {
      metadata: { name: 'shop', namespace: 'team-a', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    });
    const held = await send(h, 'DELETE', '/apis/argoproj.io/v1alpha1/namespaces/team-a/applications/shop');
    expect(held.status).toBe(202);
    expect(held.body.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(h.ctx.store.get(Kinds.Application, 'team-a', 'shop')).toBeDefined();
  });

  test('deleting a namespace deletes what it holds', async () => {
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'web'));
    const deleted = await send(h, 'DELETE', '/api/v1/namespaces/team-a');
    expect(deleted).toMatchObject({ status: 200, body: { kind: 'Namespace', metadata: { name: 'team-a' } } });
    expect(h.ctx.store.count(Kinds.Pod)).toBe(0);
  });

  test('namespaces get the metadata.name label and Active phase', async () => {
    const { status, body } = await send(h, 'POST', '/api/v1/namespaces', { metadata: { name: 'team-b' } });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      metadata: { labels: { 'kubernetes.io/metadata.name': 'team-b' } },
      status: { phase: 'Active' },
    });
  });
});
