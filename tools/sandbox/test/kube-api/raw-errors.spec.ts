import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, type KubeHarness, podObject, raw, startKube } from './harness';

const json = { 'content-type': 'application/json' };

function status(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details && { details }),
    code,
  };
}

describe('Kubernetes API errors on the wire', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube();
    createNamespace(h.ctx, 'team-a');
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'web'));
  });
  afterEach(() => h.close());

  test.each([
    [
      'GET',
      '/api/v1/namespaces/team-a/pods/nope',
      undefined,
      status(404, 'NotFound', 'pods "nope" not found', { name: 'nope', kind: 'pods' }),
    ],
    [
      'GET',
      '/apis/apps/v1/namespaces/team-a/deployments/api',
      undefined,
      status(404, 'NotFound', 'deployments.apps "api" not found', {
        name: 'api',
        group: 'apps',
        kind: 'deployments',
      }),
    ],
    [
      'POST',
      '/api/v1/namespaces/team-a/pods',
      podObject('team-a', 'web'),
      status(409, 'AlreadyExists', 'pods "web" already exists', { name: 'web', kind: 'pods' }),
    ],
    [
      'POST',
      '/api/v1/namespaces/ghost/pods',
      podObject('ghost', 'web'),
      status(404, 'NotFound', 'namespaces "ghost" not found', { name: 'ghost', kind: 'namespaces' }),
    ],
    [
      'PUT',
      '/api/v1/namespaces/team-a/pods/web',
      { ...podObject('team-a', 'web'), metadata: { name: 'web', namespace: 'team-a', resourceVersion: '1' } },
      status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
        { name: 'web', kind: 'pods' },
      ),
    ],
    [
      'PUT',
      '/api/v1/namespaces/team-a/pods/gone',
      podObject('team-a', 'gone'),
      status(404, 'NotFound', 'pods "gone" not found', { name: 'gone', kind: 'pods' }),
    ],
    [
      'POST',
      '/api/v1/namespaces/team-a/configmaps',
      { metadata: {} },
      status(
        422,
        'Invalid',
        'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
        {
          name: '',
          kind: 'ConfigMap',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: name or generateName is required',
              field: 'metadata.name',
            },
          ],
        },
      ),
    ],
    [
      'GET',
      '/api/v1/pods?labelSelector=a%20in%20b',
      undefined,
      status(400, 'BadRequest', 'unable to parse requirement: "a in b"'),
    ],
    [
      'GET',
      '/api/v1/widgets',
      undefined,
      status(404, 'NotFound', 'the server could not find the requested resource', {}),
    ],
    [
      'POST',
      '/api/v1/namespaces/team-a/pods/web',
      {},
      status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}),
    ],
    [
      'DELETE',
      '/api/v1/namespaces/team-a/pods/nope',
      undefined,
      status(404, 'NotFound', 'pods "nope" not found', { name: 'nope', kind: 'pods' }),
    ],
  ])('%s %s answers the exact Status', async (method, path, body, expected) => {
    const response = await raw(`${h.url}${path}`, {
      method,
      headers: json,
      body: body && JSON.stringify(body),
    });
    expect(response.status).toBe(expected.code);
    expect(response.contentType).toBe('application/json');
    expect(response.text).toBe(JSON.stringify(expected));
  });

  test('a label with a character Kubernetes refuses is 422 Invalid', async () => {
    const pod = podObject('team-a', 'tagged', {
      metadata: { name: 'tagged', labels: { 'platform-api/requested-by': 'jane@example.com' } },
    });
    const response = await raw(`${h.url}/api/v1/namespaces/team-a/pods`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(pod),
    });
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({
      reason: 'Invalid',
      message: expect.stringMatching(
        /^Pod "tagged" is invalid: metadata.labels: Invalid value: "jane@example.com": a valid label/,
      ),
    });
  });

  test('a Lease PUT without resourceVersion is 422, so nobody wins a leader race blindly', async () => {
    h.ctx.store.create(Kinds.Lease, { metadata: { name: 'leader', namespace: 'team-a' }, spec: {} });
    const body = { metadata: { name: 'leader', namespace: 'team-a' }, spec: { holderIdentity: 'me' } };
    const response = await raw(`${h.url}/apis/coordination.k8s.io/v1/namespaces/team-a/leases/leader`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(422);
    expect(response.json()).toEqual(
      status(
        422,
        'Invalid',
        'Lease.coordination.k8s.io "leader" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
        {
          name: 'leader',
          group: 'coordination.k8s.io',
          kind: 'Lease',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: 0x0: must be specified for an update',
              field: 'metadata.resourceVersion',
            },
          ],
        },
      ),
    );
  });

  test('PATCH with an unsupported content type is 415', async () => {
    const response = await raw(`${h.url}/api/v1/namespaces/team-a/pods/web`, {
      method: 'PATCH',
      headers: json,
      body: '{}',
    });
    expect(response.status).toBe(415);
    expect(response.contentType).toBe('application/json');
    expect(response.json()).toEqual(
      status(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
      ),
    );
  });

  test('malformed JSON bodies are 400 BadRequest', async () => {
    const response = await raw(`${h.url}/api/v1/namespaces/team-a/pods`, {
      method: 'POST',
      headers: json,
      body: '{"metadata":',
    });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });
});
