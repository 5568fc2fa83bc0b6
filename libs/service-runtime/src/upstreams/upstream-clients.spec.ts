import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestContext } from '../logging/request-context';
import { HttpMetrics } from '../metrics/http-metrics';
import { UpstreamClients } from './upstream-clients';

/** What the local upstream answers, by method and path; anything else is a 404. */
const ANSWERS: Record<string, { status: number; body?: unknown; delayMs?: number }> = {
  'GET /api/v1/version': { status: 200, body: { version: 'v3.6.0' } },
  'GET /api/v1/applications/shop': { status: 200, body: { metadata: { name: 'shop' } } },
  'GET /api/v1/applications/slow': { status: 200, body: {}, delayMs: 1_000 },
  'GET /api/v1/orgs/team-a': { status: 200, body: { name: 'team-a' } },
  'HEAD /v2/team-a/shop/manifests/v1': { status: 404 },
};

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

describe(UpstreamClients.name, () => {
  let server: http.Server;
  let url: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      seen.push({ method: req.method ?? '', path, headers: req.headers });
      const answer = ANSWERS[`${req.method} ${path}`] ?? { status: 404, body: { message: 'not found' } };
      const reply = (): void => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
      };
      if (answer.delayMs === undefined) reply();
      else setTimeout(reply, answer.delayMs).unref();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function clients(requestMs = 2_000): { clients: UpstreamClients; metrics: HttpMetrics } {
    const metrics = new HttpMetrics('test');
    return {
      metrics,
      clients: new UpstreamClients({
        timeouts: { requestMs, idleMs: 40_000 },
        metrics,
        cancelWithRequest: true,
      }),
    };
  }

  const tls = { insecureSkipTlsVerify: false };

  async function upstreamCalls(metrics: HttpMetrics): Promise<Record<string, number>> {
    const histogram = await metrics.upstreamDuration.get();
    return Object.fromEntries(
      histogram.values
        .filter((value) => value.metricName === 'upstream_request_duration_seconds_count')
        .map((value) => [
          `${value.labels.upstream} ${value.labels.method} ${value.labels.outcome}`,
          value.value,
        ]),
    );
  }

  it('records every call in upstream_request_duration_seconds, by upstream, method and outcome', async () => {
    const { clients: upstreams, metrics } = clients();
    await upstreams.argoWorkflows({ ...tls, url, namespace: 'argo', token: 't' }).version();
    await upstreams.argoCd({ ...tls, url, token: 't', username: 'platform-api' }).get('shop');
    await upstreams.gitServer({ ...tls, url, provider: 'gitea', token: 't' }).findOrganization('team-a');
    await upstreams.imageRegistry({ ...tls, url }).manifest('team-a/shop', 'v1');

    expect(await upstreamCalls(metrics)).toEqual({
      'ARGO_WORKFLOWS GET ok': 1,
      'ARGO_CD GET ok': 1,
      'GIT GET ok': 1,
      'REGISTRY HEAD not-found': 1,
    });
  });

  it('builds each client with its auth, and sends the current request id', async () => {
    const { clients: upstreams } = clients();
    seen.length = 0;
    await RequestContext.run('req-1', () =>
      upstreams.argoWorkflows({ ...tls, url, namespace: 'argo', token: 'argo-token' }).version(),
    );
    await upstreams
      .gitServer({ ...tls, url, provider: 'gitea', token: 'git-token' })
      .findOrganization('team-a');
    expect(seen.map((s) => [s.path, s.headers.authorization, s.headers['x-request-id']])).toEqual([
      ['/api/v1/version', 'Bearer argo-token', 'req-1'],
      ['/api/v1/orgs/team-a', 'token git-token', undefined],
    ]);
  });

  it("fails a call that outlasts the service's UPSTREAM_TIMEOUT_MS, and records it so", async () => {
    const { clients: upstreams, metrics } = clients(100);
    const argocd = upstreams.argoCd({ ...tls, url, token: 't', username: 'platform-api' });
    await expect(argocd.get('slow')).rejects.toMatchObject({
      code: 'ARGO_CD_TIMEOUT',
      message: expect.stringContaining('took longer than 100 ms') as unknown,
    });
    expect(await upstreamCalls(metrics)).toEqual({ 'ARGO_CD GET upstream-timeout': 1 });
  });
});
