import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, type KubeHarness, podObject, raw, startKube } from './harness';

interface List {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: Array<Record<string, unknown> & { metadata: { name: string } }>;
}

describe('Kubernetes API lists on the wire', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube({ historyLimit: 4 });
    createNamespace(h.ctx, 'argo');
    for (const name of ['a', 'b', 'c']) h.ctx.store.create(Kinds.Pod, podObject('argo', name));
  });
  afterEach(() => h.close());

  test('a list names its kind and version; built-in items carry neither, custom resources keep both', async () => {
    h.ctx.store.create(Kinds.Workflow, { metadata: { name: 'ci-1', namespace: 'argo' }, spec: {} });
    const pods = (await raw(`${h.url}/api/v1/namespaces/argo/pods`)).json() as List;
    expect(pods).toMatchObject({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: h.ctx.store.resourceVersion },
    });
    expect(pods.items[0]).not.toHaveProperty('kind');
    expect(pods.items[0]).not.toHaveProperty('apiVersion');
    const workflows = (
      await raw(`${h.url}/apis/argoproj.io/v1alpha1/namespaces/argo/workflows`)
    ).json() as List;
    expect(workflows).toMatchObject({ kind: 'WorkflowList', apiVersion: 'argoproj.io/v1alpha1' });
    expect(workflows.items[0]).toMatchObject({ kind: 'Workflow', apiVersion: 'argoproj.io/v1alpha1' });
  });

  test('pages carry an opaque continue token and remainingItemCount', async () => {
    const first = (await raw(`${h.url}/api/v1/namespaces/argo/pods?limit=2`)).json() as List;
    expect(first.items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(first.metadata.remainingItemCount).toBe(1);
    expect(first.metadata.continue).toMatch(/^[A-Za-z0-9_-]+$/);
    const rest = (
      await raw(`${h.url}/api/v1/namespaces/argo/pods?limit=2&continue=${first.metadata.continue}`)
    ).json() as List;
    expect(rest.items.map((p) => p.metadata.name)).toEqual(['c']);
    expect(rest.metadata).toEqual({ resourceVersion: first.metadata.resourceVersion });
  });

  test('a continue token older than the history is 410 Expired, offering a fresh token', async () => {
    const first = (await raw(`${h.url}/api/v1/namespaces/argo/pods?limit=1`)).json() as List;
    for (let i = 0; i < 5; i += 1) h.ctx.store.create(Kinds.Pod, podObject('argo', `later-${i}`));
    const response = await raw(
      `${h.url}/api/v1/namespaces/argo/pods?limit=1&continue=${first.metadata.continue}`,
    );
    expect(response.status).toBe(410);
    expect(response.contentType).toBe('application/json');
    const body = response.json() as { metadata: { continue: string } };
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: { continue: expect.any(String) },
      status: 'Failure',
      message:
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      reason: 'Expired',
      code: 410,
    });
    const inconsistent = (
      await raw(`${h.url}/api/v1/namespaces/argo/pods?continue=${body.metadata.continue}`)
    ).json() as List;
    expect(inconsistent.items.map((p) => p.metadata.name)).toEqual([
      'b',
      'c',
      'later-0',
      'later-1',
      'later-2',
      'later-3',
      'later-4',
    ]);
  });

  test('a continue token that is not one is 400', async () => {
    const response = await raw(`${h.url}/api/v1/namespaces/argo/pods?continue=bm90LWpzb24`);
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({
      reason: 'BadRequest',
      message: expect.stringMatching(/^continue key is not valid/),
    });
  });
});
