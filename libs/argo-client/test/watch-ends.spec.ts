import { ForbiddenError, UnauthorizedError } from '@platform/errors';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Observable } from 'rxjs';
import { HttpArgoCd } from '../src/argocd/http-argo-cd';
import { HttpTransport } from '../src/http/http-transport';
import { HttpArgoWorkflows } from '../src/workflows/http-argo-workflows';
import { eventually } from './sandbox-argo';

/** grpc-gateway's answer for each HTTP status it maps a gRPC code to. */
const GRPC_OF: Record<number, number> = { 401: 16, 403: 7, 404: 5 };

/**
 * An Argo server that answers a watch's list and its stream with the statuses a test gives (200
 * is an empty list, or a stream that stays open), counting the requests of each.
 */
class ScriptedArgo {
  readonly requests = { list: 0, stream: 0 };
  private server: Server | undefined;

  constructor(private readonly answer: { list: number; stream: number }) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const stream = (req.url ?? '').includes('/stream/') || (req.url ?? '').includes('/workflow-events/');
      this.requests[stream ? 'stream' : 'list'] += 1;
      const status = stream ? this.answer.stream : this.answer.list;
      if (status === 200 && stream)
        return void res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
      const body =
        status === 200
          ? { metadata: { resourceVersion: '7' }, items: [] }
          : { code: GRPC_OF[status] ?? 2, message: `answered ${status}` };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const STREAMS = { idleTimeoutMs: 5_000, backoff: { initialMs: 1, maxMs: 5 } };

const WATCHES: Array<[string, (baseUrl: string) => Observable<unknown>]> = [
  [
    'Argo Workflows',
    (baseUrl) =>
      new HttpArgoWorkflows(new HttpTransport({ upstream: 'ARGO_WORKFLOWS', baseUrl }), STREAMS).watch(
        'argo',
      ),
  ],
  [
    'Argo CD',
    (baseUrl) => new HttpArgoCd(new HttpTransport({ upstream: 'ARGO_CD', baseUrl }), STREAMS).watch(),
  ],
];

describe.each(WATCHES)('the %s watch', (_, watch) => {
  let argo: ScriptedArgo | undefined;
  afterEach(() => argo?.close());

  it.each([
    ['its list', 401, { list: 401, stream: 200 }, UnauthorizedError],
    ['its list', 403, { list: 403, stream: 200 }, ForbiddenError],
    ['its stream', 401, { list: 200, stream: 401 }, UnauthorizedError],
    ['its stream', 403, { list: 200, stream: 403 }, ForbiddenError],
  ])('fails for good when %s answers %i, as the Kubernetes watches do', async (__, ___, answer, named) => {
    argo = new ScriptedArgo(answer);
    const baseUrl = await argo.start();
    const failure = await new Promise<unknown>((resolve) => watch(baseUrl).subscribe({ error: resolve }));
    expect(failure).toBeInstanceOf(named);
    const requests = { ...argo.requests };
    // Nothing is retried afterwards.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(argo.requests).toEqual(requests);
  });

  it('retries a 404, as every failure but 401 and 403', async () => {
    argo = new ScriptedArgo({ list: 200, stream: 404 });
    const baseUrl = await argo.start();
    let failed: unknown;
    const subscription = watch(baseUrl).subscribe({ error: (error: unknown) => (failed = error) });
    try {
      await eventually(() => expect(argo?.requests.stream).toBeGreaterThan(3));
      expect(failed).toBeUndefined();
    } finally {
      subscription.unsubscribe();
    }
  });
});
