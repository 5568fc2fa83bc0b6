import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogCapture } from './log-capture';
import { listenOnRandomPort } from './listen';
import { freePort, spawnService, waitForStatus } from './service-process';
import { TEST_AUTH_ENV, TEST_LIMITS_ENV } from './test-token';

/** Environment pointing at the local test Redis (started by `.ci/run` if none answers). */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';
/** A Redis URL where nothing listens: for "Redis is down" cases. */
export const DEAD_REDIS_URL = 'redis://127.0.0.1:1';

export interface ServiceContract {
  /** The service name as it appears in logs and metrics. */
  service: string;
  routePrefix: string;
  title: string;
  /** Absolute path of the built entry point (dist/main.js). */
  mainJs: string;
  /** Whether readiness depends on Redis. */
  usesRedis: boolean;
  /** The upstreams readiness checks besides Redis (the keys of its body), e.g. `argo-workflows`. */
  upstreamChecks?: string[];
  /**
   * Starts what those upstream checks probe (e.g. a sandbox) before the contract runs, and gives
   * the environment that points the service at it.
   */
  upstreams?: () => Promise<{ env: Record<string, string>; stop(): Promise<void> }>;
  /** Further environment the service needs to start (its upstreams), and which of those keys are required. */
  env?: Record<string, string>;
  requiredKeys?: string[];
  /** Builds the app (not listening) from an environment, logging to `logs`. */
  createApp(env: Record<string, string>, logs: NodeJS.WritableStream): Promise<NestFastifyApplication>;
}

/**
 * What every service must show over HTTP: health, metrics, OpenAPI, the error envelope for an
 * unknown route, request ids in headers and logs, refusing a bad config, and graceful shutdown.
 */
export function describeServiceContract(contract: ServiceContract): void {
  const baseEnv: Record<string, string> = {
    ...TEST_AUTH_ENV,
    ...TEST_LIMITS_ENV,
    ...(contract.usesRedis ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...contract.env,
  };
  let stopUpstreams: (() => Promise<void>) | undefined;

  // Before the describes' own hooks: the upstreams must answer for the service to be ready.
  beforeAll(async () => {
    if (contract.upstreams === undefined) return;
    const started = await contract.upstreams();
    Object.assign(baseEnv, started.env);
    stopUpstreams = () => started.stop();
  }, 60_000);
  afterAll(() => stopUpstreams?.());

  describe(`${contract.service} service contract`, () => {
    let app: NestFastifyApplication;
    let base: string;
    const logs = new LogCapture();

    beforeAll(async () => {
      app = await contract.createApp(baseEnv, logs);
      base = await listenOnRandomPort(app);
      await waitForStatus(`${base}/healthz/ready`, 200);
    });
    afterAll(() => app.close());

    it('is live and ready', async () => {
      const live = await fetch(`${base}/healthz/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${base}/healthz/ready`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { info: Record<string, unknown> };
      expect(Object.keys(body.info)).toEqual([
        'process',
        ...(contract.usesRedis ? ['redis'] : []),
        ...(contract.upstreamChecks ?? []),
      ]);
    });

    it('exposes Prometheus metrics with its service label', async () => {
      await fetch(`${base}/healthz/live`);
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toContain(
        `http_requests_total{method="GET",route="/healthz/live",status_code="200",service="${contract.service}"}`,
      );
      expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    });

    it.each(['/docs/openapi.json', `${contract.routePrefix}/docs/openapi.json`])(
      'serves its OpenAPI document at %s',
      async (path) => {
        const res = await fetch(base + path);
        expect(res.status).toBe(200);
        const doc = (await res.json()) as { openapi: string; info: { title: string }; paths: object };
        expect(doc.openapi).toMatch(/^3\./);
        expect(doc.info.title).toBe(contract.title);
        expect(Object.keys(doc.paths)).toContain('/healthz/ready');
      },
    );

    it('answers an unknown route with the error envelope and echoes the request id in header and log', async () => {
      const res = await fetch(`${base}${contract.routePrefix}/no-such-thing`, {
        headers: { 'x-request-id': `contract-${contract.service}` },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBe(`contract-${contract.service}`);
      expect(await res.json()).toEqual({
        error: {
          code: 'ROUTE_NOT_FOUND',
          message: `No route GET ${contract.routePrefix}/no-such-thing; the API is described at /docs`,
        },
      });
      const lines = logs.forRequest(`contract-${contract.service}`);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', service: contract.service, res: { statusCode: 404 } });
    });

    if (contract.usesRedis) {
      it('is live but not ready while Redis is down', async () => {
        const down = await contract.createApp({ ...baseEnv, REDIS_URL: DEAD_REDIS_URL }, new LogCapture());
        try {
          const url = await listenOnRandomPort(down);
          expect((await fetch(`${url}/healthz/live`)).status).toBe(200);
          const ready = await fetch(`${url}/healthz/ready`);
          expect(ready.status).toBe(503);
          expect(await ready.json()).toMatchObject({ error: { redis: { status: 'down' } } });
        } finally {
          await down.close();
        }
      });
    }
  });

  describe(`${contract.service} process`, () => {
    it('refuses to start with a bad config and names every bad key', async () => {
      const proc = spawnService(contract.mainJs, { PORT: 'http', LOG_LEVEL: 'chatty' });
      const { code } = await proc.exited;
      expect(code).toBe(78);
      const report = JSON.parse(proc.stderr().trim()) as {
        level: string;
        invalidKeys: Array<{ key: string }>;
      };
      expect(report.level).toBe('fatal');
      const expected = [
        'AUTH_ISSUER',
        'AUTH_JWKS_URL',
        'LOG_LEVEL',
        'PORT',
        ...(contract.usesRedis ? ['REDIS_URL'] : []),
        ...(contract.requiredKeys ?? []),
      ].sort();
      expect(report.invalidKeys.map((k) => k.key).sort()).toEqual(expected);
    });

    it('on SIGTERM turns unready first, then exits 0 within the drain and timeout bounds', async () => {
      const port = await freePort();
      const proc = spawnService(contract.mainJs, {
        ...baseEnv,
        PORT: String(port),
        HOST: '127.0.0.1',
        SHUTDOWN_DRAIN_MS: '600',
        SHUTDOWN_TIMEOUT_MS: '3000',
      });
      const url = `http://127.0.0.1:${port}`;
      await waitForStatus(`${url}/healthz/ready`, 200);
      const signalledAt = Date.now();
      proc.child.kill('SIGTERM');
      await waitForStatus(`${url}/healthz/ready`, 503, 500);
      const { code } = await proc.exited;
      expect(code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(600 + 3000 + 1000);
    });
  });
}
