import { FieldSelector } from './field-selector';
import type { WatchEvent } from './kube-object';
import { LabelSelector } from './label-selector';
import { ObjectStore } from './object-store';
import { Kinds } from './resource-kinds';
import { StoreError } from './store-errors';

const pod = (name: string, labels: Record<string, string> = {}, namespace = 'apps') => ({
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'main', image: 'x' }] },
  status: { phase: 'Running' },
});

describe(ObjectStore.name, () => {
  it('assigns uid, timestamps and one global monotonic resourceVersion across kinds', () => {
    const store = new ObjectStore();
    const a = store.create(Kinds.Pod, pod('a'));
    const lease = store.create(Kinds.Lease, { metadata: { name: 'l', namespace: 'apps' }, spec: {} });
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.apiVersion).toBe('v1');
    expect(lease.apiVersion).toBe('coordination.k8s.io/v1');
    expect(Number(lease.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(store.resourceVersion).toBe(lease.metadata.resourceVersion);
  });

  it('refuses duplicates with AlreadyExists and stale updates with Conflict', () => {
    const store = new ObjectStore();
    const created = store.create(Kinds.Pod, pod('a'));
    expect(() => store.create(Kinds.Pod, pod('a'))).toThrow(
      expect.objectContaining({ reason: 'AlreadyExists', code: 409 }),
    );
    const fresh = store.update(Kinds.Pod, { ...created, status: { phase: 'Succeeded' } });
    expect(() => store.update(Kinds.Pod, { ...created, status: { phase: 'Failed' } })).toThrow(
      expect.objectContaining({ reason: 'Conflict', code: 409 }),
    );
    expect(store.get(Kinds.Pod, 'apps', 'a')?.metadata.resourceVersion).toBe(fresh.metadata.resourceVersion);
  });

  it('generates names, bumps generation only on spec changes', () => {
    const store = new ObjectStore();
    const created = store.create(Kinds.Workflow, {
      metadata: { generateName: 'ci-', namespace: 'argo' },
      spec: { a: 1 },
    });
    expect(created.metadata.name).toMatch(/^ci-[a-z0-9]{5}$/);
    const statusOnly = store.mutate(
      Kinds.Workflow,
      'argo',
      created.metadata.name!,
      (o) => (o.status = { phase: 'Running' }),
    );
    expect(statusOnly.metadata.generation).toBe(1);
    const specChange = store.mutate(
      Kinds.Workflow,
      'argo',
      created.metadata.name!,
      (o) => (o.spec = { a: 2 }),
    );
    expect(specChange.metadata.generation).toBe(2);
  });

  it('lists with label and field selectors', () => {
    const store = new ObjectStore();
    store.create(Kinds.Pod, pod('a', { app: 'shop', tier: 'web' }));
    store.create(Kinds.Pod, pod('b', { app: 'shop', tier: 'db' }));
    store.create(Kinds.Pod, pod('c', { app: 'blog' }, 'other'));
    const names = (labels?: string, fields?: string, namespace?: string) =>
      store
        .list(Kinds.Pod, {
          namespace,
          labelSelector: LabelSelector.parse(labels),
          fieldSelector: FieldSelector.parse(fields),
        })
        .items.map((p) => p.metadata.name);
    expect(names('app=shop')).toEqual(['a', 'b']);
    expect(names('app=shop,tier!=db')).toEqual(['a']);
    expect(names('app in (blog, shop),!tier')).toEqual(['c']);
    expect(names(undefined, 'metadata.name=b')).toEqual(['b']);
    expect(names(undefined, undefined, 'other')).toEqual(['c']);
    expect(() => names('app==(')).toThrow(StoreError);
  });

  it('keeps changes for the fresh window, then only the minimum, like the watch cache', () => {
    let now = 0;
    const store = new ObjectStore({ freshMs: 75_000, minimum: 2, now: () => now });
    const first = store.create(Kinds.Pod, pod('a'));
    store.create(Kinds.Pod, pod('b'));
    store.create(Kinds.Pod, pod('c'));
    // Within 75 s every change stays, beyond the minimum.
    expect(store.oldestResumableVersion).toBe(1);
    now = 76_000;
    const late = store.create(Kinds.Pod, pod('d'));
    // The old ones went, down to the minimum of two kept changes (c and d).
    expect(store.oldestResumableVersion).toBe(Number(late.metadata.resourceVersion) - 2);
    expect(() =>
      store.watch(Kinds.Pod, { resourceVersion: first.metadata.resourceVersion }, () => undefined),
    ).toThrow(
      expect.objectContaining({
        reason: 'Expired',
        message: `too old resource version: ${first.metadata.resourceVersion} (${store.oldestResumableVersion})`,
      }),
    );
  });

  it('after restartHistory, versions from before it are too old even with nothing evicted', () => {
    const store = new ObjectStore();
    store.create(Kinds.Pod, pod('a'));
    store.restartHistory();
    const after = store.resourceVersion;
    const seen: WatchEvent[] = [];
    store.watch(Kinds.Pod, { resourceVersion: after }, (e) => seen.push(e));
    store.create(Kinds.Pod, pod('b'));
    expect(seen.map((e) => e.object.metadata.name)).toEqual(['b']);
    expect(() => store.watch(Kinds.Pod, { resourceVersion: '1' }, () => undefined)).toThrow(
      expect.objectContaining({ reason: 'Expired', message: `too old resource version: 1 (${after})` }),
    );
  });

  it('watches from a version, replays history, and expires versions older than the history', () => {
    const store = new ObjectStore({ historyLimit: 3 });
    const first = store.create(Kinds.Pod, pod('a'));
    const seen: WatchEvent[] = [];
    store.create(Kinds.Pod, pod('b'));
    const watch = store.watch(Kinds.Pod, { resourceVersion: first.metadata.resourceVersion }, (e) =>
      seen.push(e),
    );
    store.delete(Kinds.Pod, 'apps', 'a');
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'DELETED a']);
    watch.close();
    store.create(Kinds.Pod, pod('c'));
    store.create(Kinds.Pod, pod('d'));
    expect(() =>
      store.watch(Kinds.Pod, { resourceVersion: first.metadata.resourceVersion }, () => undefined),
    ).toThrow(expect.objectContaining({ reason: 'Expired', code: 410 }));
  });

  it('starts a watch without a version with the current objects as ADDED', () => {
    const store = new ObjectStore();
    store.create(Kinds.Pod, pod('a', { app: 'x' }));
    store.create(Kinds.Pod, pod('b'));
    const seen: string[] = [];
    store.watch(Kinds.Pod, { labelSelector: LabelSelector.parse('app=x') }, (e) =>
      seen.push(`${e.type} ${e.object.metadata.name}`),
    );
    store.create(Kinds.Pod, pod('c', { app: 'x' }));
    expect(seen).toEqual(['ADDED a', 'ADDED c']);
  });

  it('keeps an object with finalizers until they are removed', () => {
    const store = new ObjectStore();
    store.create(Kinds.Application, {
      metadata: { name: 'shop', namespace: 'argocd', finalizers: ['f'] },
      spec: {},
    });
    const marked = store.delete(Kinds.Application, 'argocd', 'shop');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    store.mutate(Kinds.Application, 'argocd', 'shop', (o) => (o.metadata.finalizers = []));
    expect(store.get(Kinds.Application, 'argocd', 'shop')).toBeUndefined();
  });

  it('never shares references with callers', () => {
    const store = new ObjectStore();
    const input = pod('a');
    const created = store.create(Kinds.Pod, input);
    created.metadata.labels = { hacked: 'yes' };
    input.metadata.labels = { hacked: 'yes' };
    expect(store.get(Kinds.Pod, 'apps', 'a')?.metadata.labels).toEqual({});
  });
});

describe('sorted lists kept for paging', () => {
  const names = (items: readonly { metadata: { name?: string } }[]): string[] =>
    items.map((o) => o.metadata.name ?? '');

  it('answers a keyed list like an unkeyed one, and again after the kind changes', () => {
    const store = new ObjectStore();
    store.create(Kinds.Pod, pod('b'));
    store.create(Kinds.Pod, pod('a'));
    expect(names(store.listShared(Kinds.Pod, {}, 'all').items)).toEqual(['a', 'b']);
    store.create(Kinds.Lease, { metadata: { name: 'l', namespace: 'apps' }, spec: {} });
    expect(store.listShared(Kinds.Pod, {}, 'all').items).toBe(store.listShared(Kinds.Pod, {}, 'all').items);
    store.create(Kinds.Pod, pod('c'));
    expect(names(store.listShared(Kinds.Pod, {}, 'all').items)).toEqual(['a', 'b', 'c']);
    store.delete(Kinds.Pod, 'apps', 'a');
    expect(names(store.listShared(Kinds.Pod, {}, 'all').items)).toEqual(['b', 'c']);
    expect(names(store.listShared(Kinds.Pod).items)).toEqual(['b', 'c']);
  });

  it('lists the objects as they were at a past version, keyed or not, until it expires', () => {
    const store = new ObjectStore();
    store.create(Kinds.Pod, pod('a'));
    const version = Number(store.resourceVersion);
    store.create(Kinds.Lease, { metadata: { name: 'l', namespace: 'apps' }, spec: {} });
    // Only another kind changed: the list at `version` is today's.
    expect(names(store.listSharedAt(Kinds.Pod, {}, version, 'all').items)).toEqual(['a']);
    store.create(Kinds.Pod, pod('b'));
    store.delete(Kinds.Pod, 'apps', 'a');
    expect(names(store.listSharedAt(Kinds.Pod, {}, version, 'all').items)).toEqual(['a']);
    expect(names(store.listSharedAt(Kinds.Pod, {}, version).items)).toEqual(['a']);
    expect(names(store.listShared(Kinds.Pod, {}, 'all').items)).toEqual(['b']);
    store.restartHistory();
    expect(() => store.listSharedAt(Kinds.Pod, {}, version, 'all')).toThrow(
      expect.objectContaining({ reason: 'Expired' }),
    );
  });

  it('starts afresh after clear()', () => {
    const store = new ObjectStore();
    store.create(Kinds.Pod, pod('a'));
    expect(names(store.listShared(Kinds.Pod, {}, 'all').items)).toEqual(['a']);
    store.clear();
    expect(names(store.listShared(Kinds.Pod, {}, 'all').items)).toEqual([]);
  });
});
