import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownCoordinator } from '../src/shutdown/shutdown-coordinator';
import { LogCapture } from '../src/testing/log-capture';
import { listenOnRandomPort } from '../src/testing/listen';
import { openSse } from '../src/testing/sse-client';
import { signTestToken } from '../src/testing/test-token';
import { waitUntil } from '../src/testing/wait-until';
import { createWidgetsApp, FlakyDependency } from './fixture/widgets-app';

describe('service runtime over HTTP', () => {
  let app: NestFastifyApplication;
  let base: string;
  let token: string;
  const logs = new LogCapture();

  beforeAll(async () => {
    app = await createWidgetsApp(logs);
    base = await listenOnRandomPort(app);
    token = await signTestToken({ sub: 'alice', teams: ['payments'] });
  });
  afterAll(() => app.close());

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(base + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const post = (path: string, body: string): Promise<Response> =>
    fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });

  describe('error envelope', () => {
    it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
      const res = await fetch(`${base}/widgets/v1/nothing-here`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: {
          code: 'ROUTE_NOT_FOUND',
          message: 'No route GET /widgets/v1/nothing-here; the API is described at /docs',
        },
      });
    });

    it('names an unknown route without its query, which may hold a credential', async () => {
      const res = await fetch(`${base}/widgets/v1/nothing-here?access_token=${token}&x=1`, {
        method: 'PATCH',
      });
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({
        error: {
          code: 'ROUTE_NOT_FOUND',
          message: 'No route PATCH /widgets/v1/nothing-here; the API is described at /docs',
        },
      });
      expect(body).not.toContain(token);
    });

    it('lists every bad field of a request body, nested and unknown ones included', async () => {
      const res = await post(
        '/widgets/v1/widgets',
        JSON.stringify({ name: 'Bad_Name', replicas: 11, owner: { team: 5 }, colour: 'red' }),
      );
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request has 4 invalid fields: colour, name, replicas, owner.team',
          details: {
            fields: [
              { field: 'colour', problems: ['property colour should not exist'] },
              { field: 'name', problems: ['name must be a DNS-1123 label'] },
              { field: 'replicas', problems: ['replicas must not be greater than 10'] },
              { field: 'owner.team', problems: ['team must be a string'] },
            ],
          },
        },
      });
    });

    it('accepts a valid body', async () => {
      const body = { name: 'shop', replicas: 2, owner: { team: 'payments' } };
      const res = await post('/widgets/v1/widgets', JSON.stringify(body));
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual(body);
    });

    it('answers malformed JSON with a 400 envelope', async () => {
      const res = await post('/widgets/v1/widgets', '{"name":');
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).toMatch(/not valid JSON/);
    });

    it('maps a named error to its status with code and details', async () => {
      const res = await get(`/widgets/v1/widgets/conflict`);
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({
        error: { code: 'WIDGET_EXISTS', message: 'widget "a" exists', details: { name: 'a' } },
      });
    });

    it("answers an upstream's unhandled refusal with 502 in its own words, and logs what the upstream said", async () => {
      const res = await get(`/widgets/v1/widgets/upstream-refused`, { 'x-request-id': 'refused-1' });
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({
        error: {
          code: 'ARGO_CD_UNAUTHORIZED',
          message:
            "Argo CD failed or refused this service's request (not a fault of yours); the details are in the service's log",
          details: { upstream: 'ARGO_CD' },
        },
      });
      expect(logs.forRequest('refused-1').map((line) => line.message)).toContainEqual(
        expect.stringContaining('upstream failure ARGO_CD_UNAUTHORIZED: invalid session: token is expired'),
      );
    });

    it('answers upstream unavailability with 503 and Retry-After, never with the upstream text', async () => {
      const res = await get(`/widgets/v1/widgets/upstream`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(await res.json()).toEqual({
        error: {
          code: 'ARGO_UNAVAILABLE',
          message: 'Argo Workflows is not available right now; try again in 7 s',
          details: { upstream: 'ARGO_WORKFLOWS' },
        },
      });
    });

    it('answers an upstream timeout with 504 and the upstream name only', async () => {
      const res = await get(`/widgets/v1/widgets/upstream-timeout`);
      expect(res.status).toBe(504);
      expect(await res.json()).toEqual({
        error: {
          code: 'KUBERNETES_TIMEOUT',
          message: 'The Kubernetes API did not answer in time; try again later',
          details: { upstream: 'KUBERNETES' },
        },
      });
    });

    it('hides the message of an unexpected error and logs it', async () => {
      const res = await get('/widgets/v1/widgets/boom', { 'x-request-id': 'boom-1' });
      expect(res.status).toBe(500);
      expect(JSON.stringify(await res.json())).not.toContain('hunter2');
      expect(logs.forRequest('boom-1').some((line) => line.level === 'error')).toBe(true);
    });
  });

  describe('request id', () => {
    it('echoes the caller id in the response header, the log line and the request context', async () => {
      const res = await get('/widgets/v1/widgets/context', { 'x-request-id': 'req-42' });
      expect(res.headers.get('x-request-id')).toBe('req-42');
      expect(await res.json()).toEqual({ requestId: 'req-42' });
      const lines = logs.forRequest('req-42');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        service: 'widgets',
        message: 'request completed',
        req: { method: 'GET', url: '/widgets/v1/widgets/context' },
        res: { statusCode: 200 },
      });
    });

    it('generates an id when the caller sends none or an unsafe one', async () => {
      const none = await get(`/widgets/v1/widgets/context`);
      const unsafe = await get('/widgets/v1/widgets/context', { 'x-request-id': 'a b\tc' });
      for (const res of [none, unsafe]) {
        const id = res.headers.get('x-request-id');
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(await res.json()).toEqual({ requestId: id });
      }
    });
  });

  describe('authentication', () => {
    it('refuses a request without a token with 401 and says what to send', async () => {
      const res = await fetch(`${base}/widgets/v1/widgets/me`);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: 'UNAUTHENTICATED', message: 'send a bearer token: Authorization: Bearer <jwt>' },
      });
    });

    it.each([
      ['expired', () => signTestToken({ expiresIn: -10 }), 'the token has expired; sign in again'],
      [
        'wrongly signed',
        () => signTestToken({}, 'another-secret-of-at-least-thirty-two-chars'),
        'the token signature is not valid',
      ],
      [
        'for another audience',
        () => signTestToken({ audience: 'someone-else' }),
        "the token's aud claim is not accepted",
      ],
      [
        'never expiring',
        () => signTestToken({ expiresIn: null }),
        'the token has no exp claim; only tokens that expire are accepted',
      ],
      [
        "another issuer's",
        () => signTestToken({ issuer: 'https://idp.elsewhere.example' }),
        "the token's iss claim is not accepted",
      ],
    ])('refuses a token: %s', async (_label, make, message) => {
      const res = await fetch(`${base}/widgets/v1/widgets/me`, {
        headers: { authorization: `Bearer ${await make()}` },
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'INVALID_TOKEN', message } });
    });

    it('reads the principal, with admin from the admin group', async () => {
      const res = await get('/widgets/v1/widgets/me');
      expect(await res.json()).toEqual({
        id: 'alice',
        teams: ['payments'],
        groups: [],
        admin: false,
        expiresAt: expect.any(Number),
      });
      const admin = await signTestToken({ sub: 'root', teams: [], groups: ['admins'] });
      const adminRes = await fetch(`${base}/widgets/v1/widgets/me`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(await adminRes.json()).toMatchObject({ id: 'root', admin: true });
    });

    it('drops team names that are not DNS-1123 labels, and logs each once', async () => {
      const odd = await signTestToken({
        sub: 'mallory',
        teams: ['*', 'a,b', '-', 'team a', 'płatności', 'content'],
      });
      const res = await fetch(`${base}/widgets/v1/widgets/me`, {
        headers: { authorization: `Bearer ${odd}` },
      });
      expect(await res.json()).toMatchObject({ id: 'mallory', teams: ['content'] });
      const refused = logs.lines.filter((line) => String(line.message).startsWith('ignored team '));
      expect(refused.map((line) => line.message)).toEqual(
        ['"*"', '"a,b"', '"-"', '"team a"', '"płatności"'].map((value): unknown =>
          expect.stringContaining(value),
        ),
      );
    });

    it('refuses a credential in the URL of a route that is not a stream, saying to use the header', async () => {
      for (const query of [`access_token=${token}`, `access%5Ftoken=${token}`, 'ticket=abc']) {
        const res = await fetch(`${base}/widgets/v1/widgets/me?${query}`, {
          headers: { authorization: `Bearer ${token}`, 'x-request-id': 'url-token' },
        });
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({
          error: {
            code: 'UNAUTHENTICATED',
            message: expect.stringContaining(
              'is accepted on stream routes only; send it in the Authorization header: Authorization: Bearer <jwt>',
            ) as unknown,
          },
        });
      }
      expect(JSON.stringify(logs.forRequest('url-token'))).not.toContain(token);
    });

    it.each([
      ['access_token', (t: string) => `access_token=${t}`],
      ['access%5Ftoken', (t: string) => `access%5Ftoken=${t}`],
    ])(
      'opens a stream with the token as %s, takes it out of the query and the logs',
      async (_name, query) => {
        const stream = await openSse(`${base}/widgets/v1/widgets/stream?${query(token)}&lastEventId=3`, {
          'x-request-id': 'stream-token',
        });
        expect(stream.status).toBe(200);
        await stream.waitFor((text) => text.includes('event: hello'));
        expect(stream.text()).toContain('"query":{"lastEventId":"3"}');
        stream.close();
        await waitUntil(
          () => Promise.resolve(expect(logs.forRequest('stream-token').length).toBeGreaterThan(0)),
          5000,
        );
        expect(JSON.stringify(logs.lines)).not.toContain(token);
        logs.lines.splice(0);
      },
    );

    it.each([
      ['twice', (t: string) => `access_token=${t}&access_token=${t}`, 'send one credential in the URL'],
      ['in capitals', (t: string) => `ACCESS_TOKEN=${t}`, 'the parameter is spelled access_token'],
      ['with a ticket', (t: string) => `access_token=${t}&ticket=x`, 'send one credential in the URL'],
    ])('refuses a stream whose URL carries the token %s', async (_label, query, message) => {
      const res = await fetch(`${base}/widgets/v1/widgets/stream?${query(token)}`);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: 'UNAUTHENTICATED', message: expect.stringContaining(message) as unknown },
      });
    });

    it('opens a stream once with a ticket from POST /stream-tickets, bound to the caller', async () => {
      const issued = await fetch(`${base}/widgets/v1/stream-tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(issued.status).toBe(201);
      const { ticket, expiresAt } = (await issued.json()) as { ticket: string; expiresAt: string };
      expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
      const stream = await openSse(`${base}/widgets/v1/widgets/stream?ticket=${ticket}`);
      expect(stream.status).toBe(200);
      await stream.waitFor((text) => text.includes('event: hello'));
      expect(stream.text()).toContain('"id":"alice","teams":["payments"]');
      stream.close();
      const again = await fetch(`${base}/widgets/v1/widgets/stream?ticket=${ticket}`);
      expect(again.status).toBe(401);
      expect(await again.json()).toEqual({
        error: {
          code: 'INVALID_TICKET',
          message:
            'the stream ticket is unknown, used or expired; get a new one with POST /widgets/v1/stream-tickets',
        },
      });
    });

    it('accepts a ticket on stream routes only, and issues none without a header token', async () => {
      const post = (headers: Record<string, string>, query = ''): Promise<Response> =>
        fetch(`${base}/widgets/v1/stream-tickets${query}`, { method: 'POST', headers });
      expect((await post({})).status).toBe(401);
      expect((await post({}, `?access_token=${token}`)).status).toBe(401);
      const { ticket } = (await (await post({ authorization: `Bearer ${token}` })).json()) as {
        ticket: string;
      };
      expect((await fetch(`${base}/widgets/v1/widgets/me?ticket=${ticket}`)).status).toBe(401);
    });
  });

  describe('metrics', () => {
    it('exposes request counts and latency per route template in Prometheus format', async () => {
      await get(`/widgets/v1/widgets/conflict`);
      const res = await fetch(`${base}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toMatch(
        /http_requests_total\{method="GET",route="\/widgets\/v1\/widgets\/conflict",status_code="409",service="widgets"\} [1-9]/,
      );
      expect(text).toMatch(
        /http_request_duration_seconds_bucket\{le="\+Inf",service="widgets",method="GET",route="\/widgets\/v1\/widgets\/conflict",status_code="409"\} [1-9]/,
      );
      expect(text).toContain('process_resident_memory_bytes');
    });
  });

  describe('upstream timing', () => {
    it('tells upstream wait from own time in Server-Timing and counts the calls in metrics', async () => {
      const res = await get('/widgets/v1/widgets/upstream-calls');
      expect(res.status).toBe(200);
      const timing = res.headers.get('server-timing') ?? '';
      const match = /^upstream;dur=([\d.]+);desc="3 calls", app;dur=([\d.]+)$/.exec(timing);
      expect(match).not.toBeNull();
      // The calls' own durations are at least 60 + 40 ms end to end (the union is unit-tested).
      expect(Number(match?.[1])).toBeGreaterThanOrEqual(95);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(
        /upstream_request_duration_seconds_count\{service="widgets",upstream="ARGO_CD",method="GET",outcome="ok"\} 3/,
      );
    });

    it('sends no Server-Timing when the request called no upstream', async () => {
      const res = await get('/widgets/v1/widgets/context');
      expect(res.headers.get('server-timing')).toBeNull();
    });
  });

  describe('OpenAPI', () => {
    it.each(['/docs/openapi.json', '/widgets/v1/docs/openapi.json'])(
      'serves the document at %s',
      async (path) => {
        const res = await fetch(base + path);
        expect(res.status).toBe(200);
        const doc = (await res.json()) as { info: { title: string }; paths: Record<string, unknown> };
        expect(doc.info.title).toBe('widgets');
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining(['/widgets/v1/widgets', '/healthz/ready']),
        );
      },
    );

    it('serves the UI at /docs', async () => {
      const res = await fetch(`${base}/docs`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('swagger-ui');
    });
  });

  describe('health', () => {
    afterEach(() => {
      FlakyDependency.healthy = true;
    });

    it('is live and ready when dependencies answer', async () => {
      expect((await fetch(`${base}/healthz/live`)).status).toBe(200);
      const ready = await fetch(`${base}/healthz/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', info: { flaky: { status: 'up' } } });
    });

    it('is not ready, with the reason, when a dependency fails', async () => {
      FlakyDependency.healthy = false;
      const ready = await fetch(`${base}/healthz/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'error',
        error: { flaky: { status: 'down', message: 'flaky is down' } },
      });
      expect((await fetch(`${base}/healthz/live`)).status).toBe(200);
    });
  });

  describe('SSE and draining', () => {
    it('flushes headers before any event, sends heartbeats, then a shutdown event when draining', async () => {
      const stream = await openSse(`${base}/widgets/v1/widgets/stream?access_token=${token}`);
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers['x-accel-buffering']).toBe('no');
      expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
      expect(stream.headers['x-request-id']).toBeDefined();
      // The retry hint, then (after the route's own first event) a comment heartbeat.
      await stream.waitFor(
        (text) => text.startsWith('retry: 2000\n\nevent: hello\n') && text.endsWith('\n:\n\n'),
      );

      app.get(ShutdownCoordinator).beginDraining();
      const body = await stream.ended;
      expect(body).toMatch(
        /event: shutdown\nretry: 1000\ndata: \{"message":"server is shutting down; reconnect","reconnectAfterMs":1000\}\n\n$/,
      );
      const ready = await fetch(`${base}/healthz/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        error: { process: { status: 'down', message: 'shutting down' } },
      });
    });
  });
});
