import type { FastifyInstance } from 'fastify';
import type { LimitsConfig } from './limits-config';
import { POLICY_CONFIG_KEY, type RoutePolicy } from './route-policy';

/** What a route that takes no body (reads, streams, tickets) accepts anyway before refusing with 413. */
export const SMALL_BODY_BYTES = 1024;

/**
 * Sets each route's body limit from its class as Fastify registers it, so that Fastify refuses a
 * larger body itself (413, from Content-Length before reading, or as soon as it grows past it):
 * mutations take JSON up to BODY_LIMIT_BYTES, other routes next to nothing.
 */
export function routeBodyLimits(fastify: FastifyInstance, limits: LimitsConfig): void {
  fastify.addHook('onRoute', (route) => {
    const policy = (route.config as { [POLICY_CONFIG_KEY]?: RoutePolicy } | undefined)?.[POLICY_CONFIG_KEY];
    if (policy === undefined) return;
    const mutation = policy.auth !== 'public' && policy.routeClass === 'mutation';
    route.bodyLimit ??= mutation ? limits.bodyLimitBytes : SMALL_BODY_BYTES;
  });
}
