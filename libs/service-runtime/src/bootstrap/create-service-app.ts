import 'reflect-metadata';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { Logger } from 'nestjs-pino';
import { Authenticator } from '../auth/authenticator';
import type { RuntimeConfig } from '../config/service-env';
import { setupOpenApi, type ApiDescription } from '../docs/openapi';
import { useJsonBodies } from '../limits/json-body';
import { registerLoadShedding } from '../limits/load-shedding';
import { LoadState } from '../limits/load-state';
import { registerRateLimits } from '../limits/rate-limits';
import { installRequestGate } from '../limits/request-gate';
import { requestTimeouts } from '../limits/request-timeout';
import { routeBodyLimits } from '../limits/route-limits';
import { stampRoutePolicies } from '../limits/stamp-route-policies';
import { RequestContext } from '../logging/request-context';
import { refuseWhileClosing } from '../shutdown/refuse-while-closing';
import { REQUEST_ID_HEADER, assignRequestId } from '../logging/request-id';
import { HttpMetrics } from '../metrics/http-metrics';
import type { RedisClient } from '../redis/redis-client';
import { clientErrorHandler, frameworkErrors } from './framework-errors';
import { PlatformFastifyAdapter } from './platform-fastify-adapter';
import { useSecurityHeaders } from './security-headers';

const UNMATCHED_ROUTE = 'unmatched';
const startTimes = new WeakMap<object, bigint>();

/** Routes served at the root whatever the prefix: the kubelet and Prometheus call them on the pod. */
export const ROOT_ROUTES = ['healthz/live', 'healthz/ready', 'metrics'];

/**
 * Builds a service's Nest application on Fastify without listening, so tests drive the same app
 * that `runService` serves. Why Fastify: see bench/http-adapter and the README.
 */
export async function createServiceApp(
  module: unknown,
  config: RuntimeConfig,
  api: ApiDescription,
): Promise<NestFastifyApplication> {
  const { limits } = config;
  const adapter = new PlatformFastifyAdapter({
    // For routes Nest does not serve; each Nest route gets its class's limit (routeLimits).
    bodyLimit: limits.bodyLimitBytes,
    // The whole request (headers and body) must arrive within this: slow senders do not hold sockets.
    requestTimeout: limits.requestTimeoutMs,
    // X-Forwarded-* only from the configured proxies: from anyone else they are the caller's claim.
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    // One id per request, decided before any hook runs; logs, headers and upstream calls reuse it.
    genReqId: assignRequestId,
    // Requests that arrive while the server closes get the platform's 503 (refuseWhileClosing).
    return503OnClosing: false,
    // What Fastify and Node answer themselves (a broken URL, unparsable bytes) gets the envelope too.
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    bufferLogs: true,
    // Let a failed start reach startFromEnv's one-line report instead of Nest's own exit.
    abortOnError: false,
    // JSON only, with a depth check before parsing (useJsonBodies).
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  await useSecurityHeaders(app);
  app.setGlobalPrefix(config.routePrefix, { exclude: ROOT_ROUTES });
  installHooks(app);
  await installLimits(app, fastify, config);
  setupOpenApi(app, config, api);
  await app.init();
  await fastify.ready();
  return app;
}

/**
 * Everything that bounds what a caller may ask, in the order a request meets it: load shedding,
 * the request's time limit, authentication and rate limits (the request gate), then the route's
 * body limit and JSON depth check; streams count against StreamQuota where they open.
 */
async function installLimits(
  app: NestFastifyApplication,
  fastify: FastifyInstance,
  config: RuntimeConfig,
): Promise<void> {
  const { limits } = config;
  // First of all: a closing server takes nothing new.
  refuseWhileClosing(fastify);
  await registerLoadShedding(fastify, limits.loadShedding, app.get(LoadState));
  requestTimeouts(fastify, limits.requestTimeoutMs);
  const rateLimit =
    limits.rate === undefined
      ? undefined
      : await registerRateLimits(fastify, {
          limits: limits.rate,
          service: config.serviceName,
          redis: serviceRedis(app),
        });
  installRequestGate(fastify, app.get(Authenticator), rateLimit);
  useJsonBodies(fastify);
  routeBodyLimits(fastify, limits);
  stampRoutePolicies(app);
}

/** The service's Redis when its module provides one (RedisModule): rate limits are then shared by its replicas. */
function serviceRedis(app: NestFastifyApplication): RedisClient | undefined {
  const provider = app
    .get(DiscoveryService)
    .getProviders()
    .find((wrapper) => wrapper.token === Redis);
  return provider?.instance as RedisClient | undefined;
}

function installHooks(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(HttpMetrics);
  fastify.addHook('onRequest', (request, reply, done) => {
    startTimes.set(request, process.hrtime.bigint());
    // On the raw response so that hijacked replies (SSE streams) carry it too.
    reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const header = serverTiming(request.raw, startTimes.get(request));
    if (header !== undefined) void reply.header('server-timing', header);
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const started = startTimes.get(request);
    const seconds = started === undefined ? 0 : Number(process.hrtime.bigint() - started) / 1e9;
    metrics.observe(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, seconds);
    done();
  });
}

/**
 * `Server-Timing` of a request that called upstreams: how long it waited for them and how long the
 * service itself took, so a client (or the task benchmark) can tell the two apart.
 */
function serverTiming(raw: object, started: bigint | undefined): string | undefined {
  const upstream = RequestContext.upstreamTiming(raw);
  if (upstream === undefined || upstream.calls === 0 || started === undefined) return undefined;
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  const upstreamMs = upstream.seconds * 1000;
  const ownMs = Math.max(0, totalMs - upstreamMs);
  return `upstream;dur=${upstreamMs.toFixed(2)};desc="${upstream.calls} calls", app;dur=${ownMs.toFixed(2)}`;
}
