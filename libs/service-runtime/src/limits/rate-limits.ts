import fastifyRateLimit, { normalizeIP, type errorResponseBuilderContext } from '@fastify/rate-limit';
import { Logger } from '@nestjs/common';
import { RateLimitedError } from '@platform/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import type { RedisClient } from '../redis/redis-client';
import type { RateLimits } from './limits-config';
import { routePolicyOf, type RouteClass } from './route-policy';
import { sharedCountsStore } from './shared-counts';

/** Checks one request against its budget: sets the RateLimit-* headers, throws RATE_LIMITED when spent. */
export type RateLimitCheck = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** How a message names what a class counts. */
const COUNTED: Readonly<Record<RouteClass, string>> = {
  read: 'reads',
  mutation: 'changes (POST, PUT, PATCH, DELETE)',
  stream: 'stream opens (connections, reconnects and long polls)',
  'stream-ticket': 'stream tickets',
};

/**
 * Rate limits with @fastify/rate-limit: a fixed window per route class and caller (the token's
 * `sub`, or the client address for a request without a valid token, as TRUSTED_PROXIES let
 * Fastify see it), counted in the service's Redis when it has one (every replica spends the same
 * budget) and in memory otherwise. The IETF draft's `RateLimit-Limit`, `RateLimit-Remaining` and
 * `RateLimit-Reset` headers on every limited response, and 429 RATE_LIMITED with `Retry-After`
 * once the budget is spent. Registered without routes of its own: the request gate calls it
 * after authentication, so it knows whom to count.
 */
export async function registerRateLimits(
  fastify: FastifyInstance,
  options: { limits: RateLimits; service: string; redis?: RedisClient },
): Promise<RateLimitCheck> {
  const { limits, redis } = options;
  const logger = new Logger('RateLimits');
  const classOf = (request: FastifyRequest): RouteClass => {
    const policy = routePolicyOf(request);
    return policy.auth === 'public' ? 'read' : policy.routeClass;
  };
  await fastify.register(fastifyRateLimit, {
    global: false,
    enableDraftSpec: true,
    timeWindow: limits.windowSeconds * 1000,
    max: (request) => limits.perClass[classOf(request)],
    keyGenerator: (request) => `${classOf(request)}:${callerOf(request)}`,
    store:
      redis === undefined
        ? undefined
        : sharedCountsStore(redis, `${limits.keyPrefix}${options.service}:`, (reason) =>
            logger.warn(
              `counting requests in this replica's memory for a while: Redis failed (${reason.message}); each replica now allows the whole budget`,
            ),
          ),
    errorResponseBuilder: (request, context) => rateLimited(classOf(request), limits, context, request),
  });
  return fastify.rateLimit() as RateLimitCheck;
}

function callerOf(request: FastifyRequest): string {
  const principal = (request as AuthenticatedRequest).principal;
  return principal === undefined ? `ip:${normalizeIP(request.ip)}` : `user:${principal.id}`;
}

function rateLimited(
  routeClass: RouteClass,
  limits: RateLimits,
  context: errorResponseBuilderContext,
  request: FastifyRequest,
): RateLimitedError {
  const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
  const who =
    (request as AuthenticatedRequest).principal === undefined
      ? 'each client address without a valid token'
      : 'each user';
  return new RateLimitedError(
    'RATE_LIMITED',
    `too many ${COUNTED[routeClass]}: ${context.max} per ${limits.windowSeconds} s for ${who}; try again in ${retryAfterSeconds} s`,
    retryAfterSeconds,
    { routeClass, limit: context.max, windowSeconds: limits.windowSeconds },
  );
}
