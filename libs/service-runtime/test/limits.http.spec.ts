import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { LogCapture } from '../src/testing/log-capture';
import { openSse } from '../src/testing/sse-client';
import { listenOnRandomPort } from '../src/testing/listen';
import { DEAD_REDIS_URL, TEST_REDIS_URL } from '../src/testing/service-contract';
import { signTestToken } from '../src/testing/test-token';
import { waitUntil } from '../src/testing/wait-until';
import { createWidgetsApp } from './fixture/widgets-app';
import { WidgetsController } from './fixture/widgets.controller';

const WIDGET = JSON.stringify({ name: 'shop', replicas: 2, owner: { team: 'payments' } });

/** A user of their own: counts in a Redis other test runs share never meet. */
const someUser = (): Promise<string> => signTestToken({ sub: `user-${randomUUID()}` });

async function serve(
  env: Record<string, string> = {},
  options: { redisUrl?: string } = {},
): Promise<{ app: NestFastifyApplication; base: string }> {
  const app = await createWidgetsApp(new LogCapture(), env, options);
  return { app, base: await listenOnRandomPort(app) };
}

const postWidget = (base: string, token: string | undefined, body = WIDGET): Promise<Response> =>
  fetch(`${base}/widgets/v1/widgets`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body,
  });

const getMe = (base: string, token: string): Promise<Response> =>
  fetch(`${base}/widgets/v1/widgets/me`, { headers: { authorization: `Bearer ${token}` } });

/**
 * Sends the head of a POST announcing `declared` bytes and only the first `sent` of them, then
 * waits for the answer: what the server said, and whether it hung up while the rest was unsent.
 */
function postPartially(
  base: string,
  declared: number,
  sent: number,
): Promise<{ head: string; body: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    // The server closes its side once it has answered; the client never sent the rest.
    socket.on('end', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      resolve({ head, body, closedByServer: true });
      socket.destroy();
    });
    socket.write(
      [
        'POST /widgets/v1/widgets HTTP/1.1',
        `Host: ${hostname}:${port}`,
        'Content-Type: application/json',
        `Content-Length: ${declared}`,
        '',
        '',
      ].join('\r\n'),
    );
    socket.write(`{"name":"${'x'.repeat(sent - 10)}`);
  });
}

describe('limits over HTTP', () => {
  describe('authentication before the body', () => {
    let app: NestFastifyApplication;
    let base: string;
    beforeAll(async () => ({ app, base } = await serve()));
    afterAll(() => app.close());

    it('answers 401 to a 1 MB body without a token after 16 KiB of it, and hangs up instead of reading the rest', async () => {
      const answer = await postPartially(base, 1024 * 1024, 16 * 1024);
      expect(answer.head).toMatch(/^HTTP\/1\.1 401 /);
      expect(answer.head.toLowerCase()).toContain('connection: close');
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: 'UNAUTHENTICATED', message: 'send a bearer token: Authorization: Bearer <jwt>' },
      });
      expect(answer.closedByServer).toBe(true);
    });

    it('refuses a body over the limit with 413 and the limit, before reading it', async () => {
      const token = await someUser();
      const big = JSON.stringify({ name: 'x'.repeat(70 * 1024) });
      const res = await postWidget(base, token, big);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          message: 'the request body is larger than 65536 bytes, the most POST /widgets/v1/widgets accepts',
          details: { limitBytes: 65536 },
        },
      });
    });

    it('answers a body nested 10,000 levels deep with 400 JSON_TOO_DEEP, never 500', async () => {
      const token = await someUser();
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const res = await postWidget(base, token, deep);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'JSON_TOO_DEEP',
          message:
            'the JSON body nests objects and arrays more than 32 levels deep; no route takes one that deep',
          details: { maxDepth: 32 },
        },
      });
      // The service is fine afterwards.
      expect((await postWidget(base, token)).status).toBe(201);
    });

    it('refuses a body that is not JSON with 415', async () => {
      const res = await fetch(`${base}/widgets/v1/widgets`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Bearer ${await someUser()}`,
        },
        body: 'name=shop',
      });
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    });
  });

  describe('rate limits in memory (a service without Redis)', () => {
    let app: NestFastifyApplication;
    let base: string;
    beforeAll(
      async () =>
        ({ app, base } = await serve({
          RATE_LIMIT_MUTATIONS: '3',
          RATE_LIMIT_READS: '5',
          RATE_LIMIT_WINDOW_SECONDS: '60',
        })),
    );
    afterAll(() => app.close());

    it('counts mutations per user with RateLimit-* headers, then answers 429 RATE_LIMITED with Retry-After', async () => {
      const token = await someUser();
      for (let remaining = 2; remaining >= 0; remaining -= 1) {
        const res = await postWidget(base, token);
        expect(res.status).toBe(201);
        expect(res.headers.get('ratelimit-limit')).toBe('3');
        expect(res.headers.get('ratelimit-remaining')).toBe(String(remaining));
        expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      }
      const refused = await postWidget(base, token);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(await refused.json()).toEqual({
        error: {
          code: 'RATE_LIMITED',
          message: `too many changes (POST, PUT, PATCH, DELETE): 3 per 60 s for each user; try again in ${retryAfter} s`,
          details: { routeClass: 'mutation', limit: 3, windowSeconds: 60 },
        },
      });
      // Reads have a budget of their own; another user has theirs.
      expect((await getMe(base, token)).status).toBe(200);
      expect((await postWidget(base, await someUser())).status).toBe(201);
    });

    it('counts requests with a bad credential per client address, so a flood of them is limited too', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        const res = await fetch(`${base}/widgets/v1/widgets/me`, {
          headers: { authorization: 'Bearer nonsense' },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    });

    it('sends the RateLimit-* headers on an event stream too (its reply is hijacked)', async () => {
      const token = await someUser();
      const stream = await openSse(`${base}/widgets/v1/widgets/stream`, { authorization: `Bearer ${token}` });
      stream.close();
      expect(stream.status).toBe(200);
      expect(stream.headers).toMatchObject({ 'ratelimit-limit': '300', 'ratelimit-remaining': '299' });
      expect(Number(stream.headers['ratelimit-reset'])).toBeGreaterThan(0);
    });

    it('never limits health, metrics or docs', async () => {
      for (let i = 0; i < 8; i += 1) {
        for (const path of ['/healthz/live', '/metrics', '/docs/openapi.json']) {
          expect((await fetch(base + path)).status).toBe(200);
        }
      }
    });

    it('counts refusals by code in the metrics', async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(
        /http_requests_refused_total\{status_code="429",code="RATE_LIMITED",service="widgets"\} [1-9]/,
      );
    });
  });

  describe('rate limits per client address', () => {
    /** Statuses of `n` requests with a bad token, each claiming to come from `forwardedFor`. */
    const anonymous = async (base: string, forwardedFor: string, n: number): Promise<number[]> => {
      const statuses: number[] = [];
      for (let i = 0; i < n; i += 1) {
        const res = await fetch(`${base}/widgets/v1/widgets/me`, {
          headers: { authorization: 'Bearer nonsense', 'x-forwarded-for': forwardedFor },
        });
        statuses.push(res.status);
      }
      return statuses;
    };

    it('tells clients apart by the X-Forwarded-For of a trusted proxy', async () => {
      const { app, base } = await serve({ TRUSTED_PROXIES: '127.0.0.1', RATE_LIMIT_READS: '2' });
      try {
        expect(await anonymous(base, '203.0.113.1', 3)).toEqual([401, 401, 429]);
        expect(await anonymous(base, '203.0.113.2', 1)).toEqual([401]);
      } finally {
        await app.close();
      }
    });

    it('believes no X-Forwarded-For from anyone else: a new claimed address is no new budget', async () => {
      const { app, base } = await serve({ RATE_LIMIT_READS: '2' });
      try {
        expect(await anonymous(base, '203.0.113.1', 2)).toEqual([401, 401]);
        expect(await anonymous(base, '203.0.113.2', 1)).toEqual([429]);
      } finally {
        await app.close();
      }
    });
  });

  describe('rate limits in Redis', () => {
    it('holds one budget across two instances that share Redis', async () => {
      const env = { RATE_LIMIT_MUTATIONS: '4' };
      const first = await serve(env, { redisUrl: TEST_REDIS_URL });
      const second = await serve(env, { redisUrl: TEST_REDIS_URL });
      try {
        // Until its client is connected an instance counts alone (as while Redis is down).
        for (const { app } of [first, second]) {
          await waitUntil(
            () => Promise.resolve(expect(app.get(Redis, { strict: false }).status).toBe('ready')),
            5000,
          );
        }
        const token = await someUser();
        const statuses: number[] = [];
        for (const { base } of [first, second, first, second, first, second]) {
          statuses.push((await postWidget(base, token)).status);
        }
        expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
      } finally {
        await first.app.close();
        await second.app.close();
      }
    });

    it('keeps limiting, per instance, and keeps serving while Redis is down', async () => {
      const { app, base } = await serve({ RATE_LIMIT_MUTATIONS: '2' }, { redisUrl: DEAD_REDIS_URL });
      try {
        const token = await someUser();
        const statuses: number[] = [];
        for (let i = 0; i < 3; i += 1) statuses.push((await postWidget(base, token)).status);
        expect(statuses).toEqual([201, 201, 429]);
      } finally {
        await app.close();
      }
    });
  });

  describe('request timeout', () => {
    let app: NestFastifyApplication;
    let base: string;
    beforeAll(async () => ({ app, base } = await serve({ REQUEST_TIMEOUT_MS: '300' })));
    afterAll(() => app.close());

    it.each([
      ['GET', undefined],
      // Fastify's own request.signal aborts once a body is read (fastify/fastify#6725): not this one.
      ['POST', WIDGET],
    ])(
      'answers a %s 503 REQUEST_TIMEOUT with Retry-After and cancels what it waited for',
      async (method, body) => {
        const before = WidgetsController.cancelled;
        const res = await fetch(`${base}/widgets/v1/widgets/slow`, {
          method,
          headers: { authorization: `Bearer ${await someUser()}`, 'content-type': 'application/json' },
          body,
        });
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(await res.json()).toEqual({
          error: {
            code: 'REQUEST_TIMEOUT',
            message: 'the request took longer than 300 ms and was stopped; try again in 5 s',
            details: { timeoutMs: 300 },
          },
        });
        await waitUntil(() => Promise.resolve(expect(WidgetsController.cancelled).toBe(before + 1)), 2000);
      },
    );

    it('keeps no clock for a request that became an event stream: no timer per open stream', async () => {
      const token = await someUser();
      const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      const first = await openSse(`${base}/widgets/v1/widgets/stream`, { authorization: `Bearer ${token}` });
      const before = timers();
      const more = await Promise.all(
        Array.from({ length: 20 }, () =>
          openSse(`${base}/widgets/v1/widgets/stream`, { authorization: `Bearer ${token}` }),
        ),
      );
      // Each request's clock ran until its reply was hijacked; none is left per stream after.
      expect(timers() - before).toBeLessThan(5);
      expect([first, ...more].every((stream) => stream.status === 200)).toBe(true);
      [first, ...more].forEach((stream) => stream.close());
    });
  });

  describe('load shedding', () => {
    let app: NestFastifyApplication;
    let base: string;
    beforeAll(async () => ({ app, base } = await serve({ LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '50' })));
    afterAll(() => app.close());

    /** Keeps this process's event loop busy 300 ms out of every 310 until stopped. */
    function lagEventLoop(): () => void {
      const timer = setInterval(() => {
        const until = Date.now() + 300;
        while (Date.now() < until);
      }, 10);
      return () => clearInterval(timer);
    }

    it('answers 503 OVERLOADED while the event loop lags, keeps health and metrics, and reports it in readiness', async () => {
      const token = await someUser();
      expect((await getMe(base, token)).status).toBe(200);
      const stop = lagEventLoop();
      try {
        const refused = await waitUntil(async () => {
          const res = await getMe(base, token);
          expect(res.status).toBe(503);
          return res;
        }, 10_000);
        expect(refused.headers.get('retry-after')).toBe('5');
        const body = (await refused.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('OVERLOADED');
        expect(body.error.message).toMatch(
          /^this replica cannot take more requests right now \(its event loop lags \d+ ms, over 50 ms\); try again in 5 s$/,
        );
        expect((await fetch(`${base}/healthz/live`)).status).toBe(200);
        expect((await fetch(`${base}/metrics`)).status).toBe(200);
        const ready = await fetch(`${base}/healthz/ready`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({
          error: {
            process: { status: 'down', message: expect.stringMatching(/^overloaded: its event loop lags/) },
          },
        });
      } finally {
        stop();
      }
      await waitUntil(async () => expect((await getMe(base, token)).status).toBe(200), 10_000);
    });
  });
});
