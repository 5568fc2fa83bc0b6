import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, type KubeHarness, podObject, raw, startKube } from './harness';

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

describe('Kubernetes API authentication and injected faults', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube();
    createNamespace(h.ctx, 'team-a');
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'web'));
  });
  afterEach(() => h.close());

  test('a missing or wrong bearer token is 401; /version stays public', async () => {
    for (const token of [null, 'wrong']) {
      const response = await raw(`${h.url}/api/v1/namespaces`, { token });
      expect(response.status).toBe(401);
      expect(response.contentType).toBe('application/json');
      expect(response.text).toBe(JSON.stringify(status(401, 'Unauthorized', 'Unauthorized')));
    }
    expect((await raw(`${h.url}/version`, { token: null })).status).toBe(200);
  });

  test('an injected error rate answers the configured code as a Status, on unary requests only', async () => {
    h.ctx.faults.set('kube', { errorRate: 1, errorCode: 503 });
    const response = await raw(`${h.url}/api/v1/namespaces/team-a/pods`);
    expect(response.status).toBe(503);
    expect(response.text).toBe(
      JSON.stringify(
        status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {}),
      ),
    );
    h.ctx.faults.set('kube', { errorRate: 1 });
    const internal = await raw(`${h.url}/api/v1/namespaces/team-a/pods/web`);
    expect(internal.status).toBe(500);
    expect(internal.json()).toMatchObject({ reason: 'InternalError', code: 500 });
  });

  test('watches are not failed by the error rate (it is for unary requests)', async () => {
    h.ctx.faults.set('kube', { errorRate: 1, errorCode: 500, latencyMs: 50 });
    const stream = await raw(`${h.url}/api/v1/namespaces/team-a/pods?watch=1&timeoutSeconds=1`);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe('application/json');
    expect(stream.text).toMatch(/^\{"type":"ADDED"/);
  });
});
