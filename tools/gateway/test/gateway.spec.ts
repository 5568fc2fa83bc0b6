import type { FastifyInstance } from 'fastify';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createGateway } from '../src/gateway';
import { matchRoute, readIngressRoutes } from '../src/ingress-routes';

const INGRESS = path.resolve(__dirname, '..', '..', '..', 'deploy', 'base', 'ingress.yaml');

/**
 * A stand-in service: echoes what it received. `/…/stream` opens an SSE stream that gets its next
 * event only when the test calls `next()` on the backend directly.
 */
interface Backend {
  url: string;
  next(): void;
  close(): void;
}

function backend(name: string): Promise<Backend> {
  const streams: http.ServerResponse[] = [];
  let sent = 0;
  const next = (): void => {
    for (const res of streams) res.write(`event: tick\ndata: ${sent}\n\n`);
    sent += 1;
  };
  const server = http.createServer((req, res) => {
    if (req.url?.endsWith('/stream') === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      streams.push(res);
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      // As the task service answers a 202 with the new task's public path.
      res.writeHead(200, { 'content-type': 'application/json', location: `${req.url ?? '/'}/created` });
      res.end(
        JSON.stringify({
          service: name,
          method: req.method,
          url: req.url,
          body,
          forwardedFor: req.headers['x-forwarded-for'] ?? null,
        }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        next,
        close: () => {
          for (const res of streams) res.end();
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

describe('the Ingress routes', () => {
  const routes = readIngressRoutes(INGRESS);

  it('are read from deploy/base/ingress.yaml', () => {
    expect(routes).toEqual([
      { path: '/task', pathType: 'Prefix', service: 'task' },
      { path: '/monitoring', pathType: 'Prefix', service: 'monitoring' },
      { path: '/summary', pathType: 'Prefix', service: 'summary' },
    ]);
  });

  it.each([
    ['/task', 'task'],
    ['/task/v1/tasks?limit=5', 'task'],
    ['/monitoring/v1/stream', 'monitoring'],
    ['/tasks', undefined],
    ['/healthz/ready', undefined],
  ])('match %s → %s, by whole path elements as Kubernetes does', (url, service) => {
    expect(matchRoute(routes, url)?.service).toBe(service);
  });
});

describe('the gateway', () => {
  let gateway: FastifyInstance;
  let base: string;
  let nextEvent: () => void;
  const backends: Backend[] = [];

  beforeAll(async () => {
    const [task, monitoring] = await Promise.all([backend('task'), backend('monitoring')]);
    backends.push(task, monitoring);
    nextEvent = monitoring.next;
    gateway = await createGateway({
      routes: readIngressRoutes(INGRESS),
      backends: { task: task.url, monitoring: monitoring.url, summary: 'http://127.0.0.1:9' },
    });
    base = await gateway.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const b of backends) b.close();
    await gateway.close();
  });

  it('sends a request to its service with path, query, method and body unchanged', async () => {
    const res = await fetch(`${base}/task/v1/apps?dry=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"shop"}',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      service: 'task',
      method: 'POST',
      url: '/task/v1/apps?dry=1',
      body: '{"name":"shop"}',
      forwardedFor: '127.0.0.1',
    });
  });

  it('passes a Location header on unchanged: the services already answer with their public paths', async () => {
    const res = await fetch(`${base}/task/v1/apps`, { method: 'POST', body: '{}' });
    expect(res.headers.get('location')).toBe('/task/v1/apps/created');
  });

  it('passes each Server-Sent Event on as it is sent, not when the stream ends', async () => {
    const res = await fetch(`${base}/monitoring/v1/stream`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The backend writes event n+1 only after event n came through the gateway: with any
    // buffering this loop would wait forever (and the test time out).
    for (let n = 0; n < 3; n += 1) {
      nextEvent();
      while (!text.includes(`data: ${n}\n\n`)) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) throw new Error('stream ended');
        text += decoder.decode(chunk.value);
      }
    }
    expect(text).toBe('event: tick\ndata: 0\n\nevent: tick\ndata: 1\n\nevent: tick\ndata: 2\n\n');
    await reader?.cancel();
  });

  it('answers 404 in the error envelope for a path no rule routes', async () => {
    const res = await fetch(`${base}/tasks`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: 'No service is routed at /tasks; the gateway routes /task, /monitoring, /summary',
      },
    });
  });

  it('answers 502 in the error envelope when a service does not answer', async () => {
    const res = await fetch(`${base}/summary/v1/apps`);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BACKEND_UNAVAILABLE');
    expect(body.error.message).toContain('the summary service at http://127.0.0.1:9 does not answer');
  });

  it('refuses to start without a backend for a routed service', async () => {
    await expect(
      createGateway({ routes: readIngressRoutes(INGRESS), backends: { task: 'http://x' } }),
    ).rejects.toThrow('no backend given for service(s) monitoring, summary');
  });
});
