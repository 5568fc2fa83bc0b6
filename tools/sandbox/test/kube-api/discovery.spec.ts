import { type KubeHarness, raw, startKube } from './harness';

describe('Kubernetes API discovery', () => {
  let h: KubeHarness;
  beforeAll(async () => (h = await startKube()));
  afterAll(() => h.close());

  test('GET /api and /apis list the served groups and versions', async () => {
    expect((await raw(`${h.url}/api`)).json()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await raw(`${h.url}/apis`)).json() as {
      groups: Array<{ name: string; preferredVersion: unknown }>;
    };
    expect(groups.groups.map((g) => g.name)).toEqual([
      'apps',
      'coordination.k8s.io',
      'rbac.authorization.k8s.io',
      'networking.k8s.io',
      'argoproj.io',
    ]);
    expect(groups.groups[0]?.preferredVersion).toEqual({ groupVersion: 'apps/v1', version: 'v1' });
  });

  test('resource lists name every kind with its scope, verbs and subresources', async () => {
    const core = (await raw(`${h.url}/api/v1`)).json() as {
      groupVersion: string;
      resources: Array<Record<string, unknown>>;
    };
    expect(core.groupVersion).toBe('v1');
    expect(core.resources.find((r) => r.name === 'pods')).toMatchObject({
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
    });
    expect(core.resources.find((r) => r.name === 'namespaces')).toMatchObject({ namespaced: false });
    expect(core.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['pods/log', 'pods/status', 'events']),
    );
    const argo = (await raw(`${h.url}/apis/argoproj.io/v1alpha1`)).json() as {
      resources: Array<{ name: string }>;
    };
    expect(argo.resources.map((r) => r.name)).toEqual([
      'workflows',
      'workflowtemplates',
      'applications',
      'appprojects',
    ]);
    expect((await raw(`${h.url}/apis/argoproj.io/v1`)).status).toBe(404);
  });

  test('/version answers JSON', async () => {
    const version = await raw(`${h.url}/version`);
    expect(version.contentType).toBe('application/json');
    expect(version.json()).toMatchObject({
      major: '1',
      minor: '31',
      gitVersion: expect.stringMatching(/^v1\.31\./),
    });
  });
});
