import * as k8s from '@kubernetes/client-node';
import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, eventually, type KubeHarness, podObject, startKube } from './harness';

interface Seen {
  type: string;
  name: string;
  code?: number;
  reason?: string;
}

/** Runs a client-node Watch and records what arrives until it is done. */
async function record(
  h: KubeHarness,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
) {
  const seen: Seen[] = [];
  let ended: unknown = 'open';
  const controller = await new k8s.Watch(h.kc).watch(
    path,
    query,
    (type, object: { metadata?: { name?: string }; code?: number; reason?: string }) =>
      seen.push({ type, name: object.metadata?.name ?? '', code: object.code, reason: object.reason }),
    (error: unknown) => (ended = error),
  );
  return { seen, ended: () => ended, stop: () => controller.abort() };
}

describe('Kubernetes API through @kubernetes/client-node: list and watch', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube();
    createNamespace(h.ctx, 'team-a');
    createNamespace(h.ctx, 'team-b');
  });
  afterEach(() => h.close());

  test('lists pods with label and field selectors, and pages with limit and continue', async () => {
    for (let i = 0; i < 5; i += 1) {
      h.ctx.store.create(
        Kinds.Pod,
        podObject('team-a', `p${i}`, {
          metadata: { name: `p${i}`, namespace: 'team-a', labels: { app: i < 3 ? 'shop' : 'blog' } },
          status: { phase: i % 2 === 0 ? 'Running' : 'Pending' },
        }),
      );
    }
    h.ctx.store.create(
      Kinds.Pod,
      podObject('team-b', 'other', {
        metadata: { name: 'other', namespace: 'team-b', labels: { app: 'shop' } },
      }),
    );

    const shop = await h.core.listNamespacedPod({ namespace: 'team-a', labelSelector: 'app=shop' });
    expect(shop.kind).toBe('PodList');
    expect(shop.items.map((p) => p.metadata?.name)).toEqual(['p0', 'p1', 'p2']);

    const running = await h.core.listPodForAllNamespaces({
      labelSelector: 'app in (shop)',
      fieldSelector: 'status.phase=Running',
    });
    expect(running.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([
      'team-a/p0',
      'team-a/p2',
      'team-b/other',
    ]);

    const first = await h.core.listNamespacedPod({ namespace: 'team-a', limit: 2 });
    expect(first.items.map((p) => p.metadata?.name)).toEqual(['p0', 'p1']);
    expect(first.metadata?.remainingItemCount).toBe(3);
    // Pages are read at the first page's version, as etcd serves a continue token: a pod created
    // between pages is not in this list (a watch from its resourceVersion brings it).
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'p3a'));
    const second = await h.core.listNamespacedPod({
      namespace: 'team-a',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    expect(second.items.map((p) => p.metadata?.name)).toEqual(['p2', 'p3']);
    const third = await h.core.listNamespacedPod({
      namespace: 'team-a',
      limit: 2,
      _continue: second.metadata?._continue,
    });
    expect(third.items.map((p) => p.metadata?.name)).toEqual(['p4']);
    expect(third.metadata?._continue).toBeUndefined();
    expect(new Set([first, second, third].map((page) => page.metadata?.resourceVersion)).size).toBe(1);
  });

  test('a watch receives ADDED, MODIFIED and DELETED', async () => {
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'existing'));
    const watch = await record(h, '/api/v1/namespaces/team-a/pods', {});
    await eventually(() => expect(watch.seen).toEqual([{ type: 'ADDED', name: 'existing' }]));

    await h.core.createNamespacedPod({ namespace: 'team-a', body: podObject('team-a', 'web') as k8s.V1Pod });
    await h.core.patchNamespacedPod(
      { namespace: 'team-a', name: 'web', body: { metadata: { labels: { tier: 'front' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await h.core.deleteNamespacedPod({ namespace: 'team-a', name: 'web' });
    h.ctx.store.create(Kinds.Pod, podObject('team-b', 'elsewhere'));

    await eventually(() =>
      expect(watch.seen.slice(1).map((e) => `${e.type} ${e.name}`)).toEqual([
        'ADDED web',
        'MODIFIED web',
        'DELETED web',
      ]),
    );
    watch.stop();
  });

  test('resumes from a resourceVersion without replaying what came before', async () => {
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'old'));
    const list = await h.core.listNamespacedPod({ namespace: 'team-a' });
    h.ctx.store.mutate(Kinds.Pod, 'team-a', 'old', (pod) => (pod.metadata.labels = { app: 'changed' }));
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'new'));

    const watch = await record(h, '/api/v1/namespaces/team-a/pods', {
      resourceVersion: list.metadata?.resourceVersion,
    });
    await eventually(() =>
      expect(watch.seen.map((e) => `${e.type} ${e.name}`)).toEqual(['MODIFIED old', 'ADDED new']),
    );
    watch.stop();
  });

  test('a forced 410 arrives as an ERROR event, then a relist and a watch from its version work', async () => {
    const list = await h.core.listNamespacedPod({ namespace: 'team-a' });
    h.ctx.faults.set('kube', { force410: true });
    const expired = await record(h, '/api/v1/namespaces/team-a/pods', {
      resourceVersion: list.metadata?.resourceVersion,
    });
    await eventually(() => expect(expired.ended()).toBeNull());
    expect(expired.seen).toEqual([{ type: 'ERROR', name: '', code: 410, reason: 'Expired' }]);

    h.ctx.faults.set('kube', {});
    const relist = await h.core.listNamespacedPod({ namespace: 'team-a' });
    const resumed = await record(h, '/api/v1/namespaces/team-a/pods', {
      resourceVersion: relist.metadata?.resourceVersion,
    });
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'after'));
    await eventually(() => expect(resumed.seen).toEqual([{ type: 'ADDED', name: 'after' }]));
    resumed.stop();
  });
});

describe('Kubernetes API through @kubernetes/client-node: history expiry', () => {
  test('a watch from a version older than the history gets 410 Expired', async () => {
    const h = await startKube({ historyLimit: 3 });
    try {
      createNamespace(h.ctx, 'team-a');
      const list = await h.core.listNamespacedPod({ namespace: 'team-a' });
      for (let i = 0; i < 5; i += 1) h.ctx.store.create(Kinds.Pod, podObject('team-a', `p${i}`));

      const watch = await record(h, '/api/v1/namespaces/team-a/pods', {
        resourceVersion: list.metadata?.resourceVersion,
      });
      await eventually(() => expect(watch.ended()).toBeNull());
      expect(watch.seen).toEqual([{ type: 'ERROR', name: '', code: 410, reason: 'Expired' }]);

      const relist = await h.core.listNamespacedPod({ namespace: 'team-a' });
      expect(relist.items).toHaveLength(5);
    } finally {
      await h.close();
    }
  });
});
