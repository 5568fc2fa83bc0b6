import {
  openSse,
  signTestToken,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  TEST_REDIS_URL,
  waitUntil,
} from '@platform/service-runtime/testing';
import { randomUUID } from 'node:crypto';
import { deletePrefix, startReplica, testPrefix, type Replica } from './support/summary-harness';

const someUser = (): Promise<string> => signTestToken({ sub: `user-${randomUUID()}`, teams: ['payments'] });

/** The summary service's limits: streams per user, its reads' budget in Redis, odd query strings. */
describe('summary limits (real Redis, no upstreams)', () => {
  const prefix = testPrefix();
  let replica: Replica;

  beforeAll(async () => {
    replica = await startReplica({
      REDIS_URL: TEST_REDIS_URL,
      ...TEST_AUTH_ENV,
      ...TEST_LIMITS_ENV,
      ARGO_SERVER_URL: 'http://127.0.0.1:1',
      ARGOCD_SERVER_URL: 'http://127.0.0.1:1',
      ARGOCD_PASSWORD: 'unused',
      SUMMARY_COLLECT: 'false',
      SUMMARY_KEY_PREFIX: prefix,
      STREAMS_PER_USER: '1',
      RATE_LIMIT_READS: '3',
    });
  });
  afterAll(async () => {
    await replica.close();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  const get = (path: string, token: string): Promise<Response> =>
    fetch(`${replica.base}/summary/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('lets one user hold STREAMS_PER_USER streams, SSE and long polls alike, then answers 429 TOO_MANY_STREAMS', async () => {
    const token = await someUser();
    const open = await openSse(`${replica.base}/summary/v1/stream`, { authorization: `Bearer ${token}` });
    expect(open.status).toBe(200);
    for (const path of ['/stream', '/stream?wait=0']) {
      const refused = await get(path, token);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({
        error: { code: 'TOO_MANY_STREAMS', details: { limit: 1 } },
      });
    }
    open.close();
    await waitUntil(async () => expect((await get('/stream?wait=0', token)).status).toBe(200), 10_000);
  });

  it('counts reads per user in Redis and answers 429 RATE_LIMITED past the budget', async () => {
    const token = await someUser();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get('/apps', token)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await fetch(`${replica.base}/healthz/ready`)).status).toBe(200);
  });

  it('answers a query string with deeply nested keys 400, never 500', async () => {
    const key = 'a' + '[b]'.repeat(1000);
    const res = await get(`/stream?wait=0&${encodeURIComponent(key)}=1`, await someUser());
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
