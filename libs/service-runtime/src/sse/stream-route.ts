import type { FastifyRequest } from 'fastify';

/**
 * The route template a request was routed by, without the service's prefix (`/apps/:app/events`):
 * what the open-streams gauge is labelled with, read from the router instead of restated by hand.
 */
export function streamRouteOf(req: FastifyRequest, routePrefix: string): string {
  const route = req.routeOptions.url ?? req.url;
  return routePrefix !== '' && route.startsWith(`${routePrefix}/`) ? route.slice(routePrefix.length) : route;
}
