import { createNamespace, type KubeHarness, raw, startKube } from './harness';

const SELECTOR = { matchLabels: { 'app.kubernetes.io/name': 'web' } };

function deployment(podLabels: Record<string, string>, selector: unknown = SELECTOR) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      ...(selector === null ? {} : { selector }),
      template: { metadata: { labels: podLabels }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
    },
  };
}

/** The API server refuses Deployments whose pods their selector would not select, or with bad pod labels. */
describe('Deployment validation on the wire', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube();
    createNamespace(h.ctx, 'team-a');
  });
  afterEach(() => h.close());

  async function create(body: unknown): Promise<{ status: number; message: string }> {
    const response = await raw(`${h.url}/apis/apps/v1/namespaces/team-a/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, message: (response.json() as { message?: string }).message ?? '' };
  }

  it.each([
    [
      'a selector that does not select the pods',
      deployment({ 'app.kubernetes.io/name': 'api', tier: 'web' }),
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app.kubernetes.io/name":"api", "tier":"web"}: `selector` does not match template `labels`',
    ],
    [
      'an invalid pod label value',
      deployment({ 'app.kubernetes.io/name': 'web', 'platform-api/team': 'Team A' }),
      `Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: "Team A": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    [
      'no selector',
      deployment({ a: 'b' }, null),
      'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"a":"b"}: `selector` does not match template `labels`]',
    ],
  ])('refuses %s with 422', async (_case, body, message) => {
    expect(await create(body)).toEqual({ status: 422, message });
  });

  it('accepts pods its selector selects', async () => {
    expect((await create(deployment({ 'app.kubernetes.io/name': 'web', extra: 'x' }))).status).toBe(201);
  });
});
