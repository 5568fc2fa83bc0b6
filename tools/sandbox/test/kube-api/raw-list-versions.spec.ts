import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, type KubeHarness, podObject, raw, startKube } from './harness';

interface List {
  metadata: { resourceVersion: string; continue?: string };
  items: Array<{ metadata: { name: string; labels?: Record<string, string> } }>;
}

const names = (list: List): string[] => list.items.map((item) => item.metadata.name);

describe('Kubernetes API lists at a resourceVersion, on the wire', () => {
  let h: KubeHarness;
  let before: string;
  beforeEach(async () => {
    h = await startKube({ historyLimit: 20 });
    createNamespace(h.ctx, 'argo');
    for (const name of ['a', 'b']) h.ctx.store.create(Kinds.Pod, podObject('argo', name));
    before = h.ctx.store.resourceVersion;
    h.ctx.store.delete(Kinds.Pod, 'argo', 'a');
    h.ctx.store.mutate(Kinds.Pod, 'argo', 'b', (pod) => (pod.metadata.labels = { app: 'changed' }));
    h.ctx.store.create(Kinds.Pod, podObject('argo', 'c'));
  });
  afterEach(() => h.close());

  const list = (query: string) => raw(`${h.url}/api/v1/namespaces/argo/pods?${query}`);

  test('resourceVersionMatch=Exact answers the objects as they were then', async () => {
    const then = (await list(`resourceVersion=${before}&resourceVersionMatch=Exact`)).json() as List;
    expect(then.metadata.resourceVersion).toBe(before);
    expect(names(then)).toEqual(['a', 'b']);
    expect(then.items[1]?.metadata.labels).toEqual({ app: 'demo' });
    const now = (await list('')).json() as List;
    expect(names(now)).toEqual(['b', 'c']);
  });

  test("Exact older than the history is 410 with etcd's message; a future one is a 504 Timeout", async () => {
    for (let i = 0; i < 30; i += 1) h.ctx.store.create(Kinds.Pod, podObject('argo', `more-${i}`));
    const expired = await list(`resourceVersion=${before}&resourceVersionMatch=Exact`);
    expect(expired.status).toBe(410);
    expect(expired.json()).toMatchObject({
      reason: 'Expired',
      message: 'The resourceVersion for the provided list is too old.',
    });
    const future = Number(h.ctx.store.resourceVersion) + 10;
    const tooLarge = await list(`resourceVersion=${future}&resourceVersionMatch=Exact`);
    expect(tooLarge.status).toBe(504);
    expect(tooLarge.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Timeout: Too large resource version: ${future}, current: ${h.ctx.store.resourceVersion}`,
      reason: 'Timeout',
      details: {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      },
      code: 504,
    });
  });

  test('list options are validated as the API server does (422 ListOptions)', async () => {
    const cases: Array<[string, string]> = [
      [
        'resourceVersionMatch=Exact',
        'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      ],
      [
        'resourceVersion=0&resourceVersionMatch=Exact',
        'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      ],
      [
        'resourceVersion=5&resourceVersionMatch=Newest',
        'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
      ],
    ];
    for (const [query, message] of cases) {
      const response = await list(query);
      expect(response.status).toBe(422);
      expect(response.json()).toMatchObject({
        reason: 'Invalid',
        message: `ListOptions.meta.k8s.io "" is invalid: ${message}`,
        details: { group: 'meta.k8s.io', kind: 'ListOptions' },
      });
    }
  });

  test('the pages of a list are read at the version of its first page, whatever changed in between', async () => {
    const first = (await list('limit=1')).json() as List;
    expect(names(first)).toEqual(['b']);
    h.ctx.store.create(Kinds.Pod, podObject('argo', 'd'));
    h.ctx.store.delete(Kinds.Pod, 'argo', 'c');
    const rest = (await list(`limit=5&continue=${first.metadata.continue ?? ''}`)).json() as List;
    expect(names(rest)).toEqual(['c']);
    expect(rest.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });
});
