import * as k8s from '@kubernetes/client-node';
import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, eventually, type KubeHarness, podObject, startKube } from './harness';

const PATH = '/api/v1/namespaces/team-a/pods';

/**
 * An informer wired the way client-node's examples advise: it relists on 410 by itself, and it
 * stops on any other error, so it is restarted after one.
 */
function startInformer(h: KubeHarness) {
  let lists = 0;
  const informer = k8s.makeInformer(h.kc, PATH, () => {
    lists += 1;
    return h.core.listNamespacedPod({ namespace: 'team-a' });
  });
  const log: string[] = [];
  let errors = 0;
  let connects = 0;
  let stopped = false;
  informer.on('add', (pod) => log.push(`add ${pod.metadata?.name}`));
  informer.on('update', (pod) => log.push(`update ${pod.metadata?.name}`));
  informer.on('delete', (pod) => log.push(`delete ${pod.metadata?.name}`));
  informer.on('connect', () => (connects += 1));
  informer.on('error', () => {
    errors += 1;
    if (!stopped) setTimeout(() => void informer.start(), 20);
  });
  return {
    informer,
    log,
    errors: () => errors,
    lists: () => lists,
    connects: () => connects,
    names: () =>
      informer
        .list('team-a')
        .map((p) => `${p.metadata?.name}@${p.metadata?.resourceVersion}`)
        .sort(),
    stop: async () => {
      stopped = true;
      await informer.stop();
    },
  };
}

function storeNames(h: KubeHarness): string[] {
  return h.ctx.store
    .list(Kinds.Pod, { namespace: 'team-a' })
    .items.map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`)
    .sort();
}

describe('Kubernetes API through @kubernetes/client-node: informer', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube({ historyLimit: 8 });
    createNamespace(h.ctx, 'team-a');
  });
  afterEach(() => h.close());

  test('sees adds, updates and deletes, and converges again after its stream is dropped', async () => {
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'first'));
    const inf = startInformer(h);
    await inf.informer.start();
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(1));

    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'second'));
    h.ctx.store.mutate(Kinds.Pod, 'team-a', 'first', (pod) => (pod.metadata.labels = { app: 'v2' }));
    h.ctx.store.delete(Kinds.Pod, 'team-a', 'second');
    await eventually(() =>
      expect(inf.log).toEqual(['add first', 'add second', 'update first', 'delete second']),
    );

    expect(h.ctx.faults.dropStreams('kube')).toBe(1);
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'third'));
    h.ctx.store.delete(Kinds.Pod, 'team-a', 'first');
    await eventually(() => expect(inf.names()).toEqual(storeNames(h)));
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(1));
    await inf.stop();
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(0));
  });

  test('relists after forced 410s and after its version fell out of the history', async () => {
    const inf = startInformer(h);
    await inf.informer.start();
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(1));

    // Every resume is refused while force410 is on: the informer keeps relisting.
    h.ctx.faults.set('kube', { force410: true });
    const connectsBefore = inf.connects();
    const listsBefore = inf.lists();
    h.ctx.faults.dropStreams('kube');
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'during-410'));
    await eventually(() => expect(inf.connects()).toBeGreaterThan(connectsBefore + 2));
    expect(inf.lists()).toBeGreaterThan(listsBefore + 1);
    h.ctx.faults.set('kube', {});
    await eventually(() => expect(inf.names()).toEqual(storeNames(h)));

    // More changes than the history holds while disconnected: the resume gets a real 410.
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(1));
    const errorsBefore = inf.errors();
    const listsBeforeBurst = inf.lists();
    h.ctx.faults.set('kube', { latencyMs: 100 });
    h.ctx.faults.dropStreams('kube');
    await eventually(() => expect(inf.errors()).toBeGreaterThan(errorsBefore));
    for (let i = 0; i < 10; i += 1) h.ctx.store.create(Kinds.Pod, podObject('team-a', `burst-${i}`));
    h.ctx.faults.set('kube', {});
    await eventually(() => expect(inf.names()).toEqual(storeNames(h)));
    expect(inf.names()).toHaveLength(11);
    // A resume within the history would not have listed again.
    expect(inf.lists()).toBeGreaterThan(listsBeforeBurst);
    await inf.stop();
  });
});
