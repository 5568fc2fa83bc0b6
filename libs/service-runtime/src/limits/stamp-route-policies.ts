import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { PUBLIC_ROUTE } from '../auth/public.decorator';
import { STREAM_ROUTE } from '../auth/stream-route.decorator';
import { declaredRouteClass, POLICY_CONFIG_KEY, type RoutePolicy } from './route-policy';

/**
 * Writes every controller route's {@link RoutePolicy} into its Fastify route config, where
 * onRequest hooks can read it: they run before Nest's guards, and before the body is read. Must
 * run before `app.init()` registers the routes (Nest copies a handler's metadata then).
 * Every Nest route gets one, so a route nobody marked is authenticated and limited by default.
 */
export function stampRoutePolicies(app: NestFastifyApplication): void {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (controller === null || typeof controller !== 'function') continue;
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined)
        continue;
      const policy = policyOf(reflector, handler, controller);
      const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as object;
      Reflect.defineMetadata(
        FASTIFY_ROUTE_CONFIG_METADATA,
        { ...config, [POLICY_CONFIG_KEY]: policy },
        handler,
      );
    }
  }
}

function policyOf(reflector: Reflector, handler: object, controller: object): RoutePolicy {
  const targets = [handler, controller] as Array<() => void>;
  if (reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true) return { auth: 'public' };
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  const reads = method === RequestMethod.GET || method === RequestMethod.HEAD;
  const stream =
    method === RequestMethod.GET && reflector.get<boolean>(STREAM_ROUTE, handler as () => void) === true;
  const routeClass = declaredRouteClass(handler) ?? (stream ? 'stream' : reads ? 'read' : 'mutation');
  return { auth: stream ? 'stream' : 'token', routeClass };
}
