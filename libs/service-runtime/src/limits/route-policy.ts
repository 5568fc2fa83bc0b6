import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * What a route is, for the limits that apply to it: reads, mutations (stricter), stream opens
 * (SSE and their long-poll form) and stream tickets each have their own rate budget, body limit
 * and timeout.
 */
export const ROUTE_CLASSES = ['read', 'mutation', 'stream', 'stream-ticket'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

/**
 * How the request gate treats a route, decided once when the app is built: `public` routes
 * (health, metrics) need no token and are never limited; the others are authenticated before
 * their body is read and count against their class's budget. `stream` routes may carry their
 * credential in the query string (EventSource cannot send headers).
 */
export type RoutePolicy = { auth: 'public' } | { auth: 'token' | 'stream'; routeClass: RouteClass };

/** Where a route's policy rides along in Fastify's route config (set by stampRoutePolicies). */
export const POLICY_CONFIG_KEY = 'platformPolicy';

const ROUTE_CLASS = 'platform:route-class';

/** Names a route's class when its method does not say it (e.g. POST stream-tickets is no mutation). */
export const RouteClassOf = (routeClass: RouteClass): MethodDecorator => SetMetadata(ROUTE_CLASS, routeClass);

export function declaredRouteClass(handler: object): RouteClass | undefined {
  return Reflect.getMetadata(ROUTE_CLASS, handler) as RouteClass | undefined;
}

/**
 * The policy of the route `request` matched. Routes Nest does not serve (the OpenAPI UI) and
 * unknown paths (answered 404) have none: they are public.
 */
export function routePolicyOf(request: FastifyRequest): RoutePolicy {
  const config = request.routeOptions.config as { [POLICY_CONFIG_KEY]?: RoutePolicy } | undefined;
  return config?.[POLICY_CONFIG_KEY] ?? { auth: 'public' };
}
