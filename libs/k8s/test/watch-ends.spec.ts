import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { ForbiddenError, UnauthorizedError } from '@platform/errors';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Subscription } from 'rxjs';
import { podsResource } from '../src/resources';
import { watchResource } from '../src/watch-resource';
import { eventually } from './sandbox-kube';

/**
 * A Kubernetes API that answers the pod list and the pod watch with the statuses a test gives
 * (200 is an empty list, or a watch that stays open), counting the requests of each.
 */
class ScriptedApi {
  readonly requests = { list: 0, watch: 0 };
  private server: Server | undefined;

  constructor(private readonly answer: { list: number; watch: number }) {}

  async start(): Promise<KubeConfig> {
    this.server = createServer((req, res) => {
      const watch = new URL(req.url ?? '/', 'http://x').searchParams.get('watch') === 'true';
      this.requests[watch ? 'watch' : 'list'] += 1;
      const status = watch ? this.answer.watch : this.answer.list;
      if (status === 200 && watch) return void res.writeHead(200).flushHeaders();
      const body =
        status === 200
          ? { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: [] }
          : {
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              message: `answered ${status}`,
              code: status,
            };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      // client-node refuses plain HTTP unless told to skip TLS verification.
      clusters: [{ name: 'scripted', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'scripted', token: 'any' }],
      contexts: [{ name: 'scripted', cluster: 'scripted', user: 'scripted' }],
      currentContext: 'scripted',
    });
    return kc;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe(`${watchResource.name}: when a watch ends`, () => {
  let api: ScriptedApi | undefined;
  afterEach(() => api?.close());

  const fast = { backoff: { initialMs: 1, maxMs: 5 }, idleTimeoutMs: 5_000 };

  it.each([
    ['its list', 401, { list: 401, watch: 200 }, UnauthorizedError, { list: 1, watch: 0 }],
    ['its list', 403, { list: 403, watch: 200 }, ForbiddenError, { list: 1, watch: 0 }],
    ['its watch', 401, { list: 200, watch: 401 }, UnauthorizedError, { list: 1, watch: 1 }],
    ['its watch', 403, { list: 200, watch: 403 }, ForbiddenError, { list: 1, watch: 1 }],
  ])('fails for good when %s answers %i, as the Argo watches do', async (_, __, answer, named, requests) => {
    api = new ScriptedApi(answer);
    const kc = await api.start();
    const connections: boolean[] = [];
    let subscription: Subscription | undefined;
    const failure = await new Promise<unknown>((resolve) => {
      subscription = watchResource<V1Pod>(kc, podsResource(kc, 'shop'), {
        ...fast,
        onConnection: (connected) => connections.push(connected),
      }).subscribe({ error: resolve });
    }).finally(() => subscription?.unsubscribe());
    expect(failure).toBeInstanceOf(named);
    // Nothing is retried afterwards.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.requests).toEqual(requests);
    expect(connections.at(-1)).toBe(false);
  });

  it('retries every other failure, and leaves no abort listener behind on any of its sleeps', async () => {
    api = new ScriptedApi({ list: 500, watch: 200 });
    const kc = await api.start();
    // Abort listeners each signal holds: a sleep that forgot its own piles one up per failure on
    // the watch's stop signal, for as long as the watch lives.
    const added = jest.spyOn(EventTarget.prototype, 'addEventListener');
    const removed = jest.spyOn(EventTarget.prototype, 'removeEventListener');
    const held = (): number => {
      const count = new Map<unknown, number>();
      const tally = (spy: typeof added, by: number): void =>
        spy.mock.calls.forEach(([type], i) => {
          const target = spy.mock.contexts[i];
          if (type === 'abort') count.set(target, (count.get(target) ?? 0) + by);
        });
      tally(added, 1);
      tally(removed, -1);
      return Math.max(0, ...count.values());
    };
    let failed: unknown;
    const subscription = watchResource<V1Pod>(kc, podsResource(kc, 'shop'), fast).subscribe({
      error: (error: unknown) => (failed = error),
    });
    try {
      await eventually(() => expect(api?.requests.list).toBeGreaterThan(25));
      expect(failed).toBeUndefined();
      expect(held()).toBeLessThanOrEqual(2);
    } finally {
      subscription.unsubscribe();
      added.mockRestore();
      removed.mockRestore();
    }
  });
});
