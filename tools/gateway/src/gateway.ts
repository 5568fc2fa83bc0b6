import proxy from '@fastify/http-proxy';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { matchRoute, type IngressRoute } from './ingress-routes';

export interface GatewayOptions {
  routes: IngressRoute[];
  /** Service name (the Ingress backend) → where it runs locally, e.g. task → http://127.0.0.1:3001. */
  backends: Record<string, string>;
}

/**
 * A reverse proxy with the Ingress's routing, and the settings the Ingress gives ingress-nginx:
 * responses stream through unbuffered and uncompressed (Server-Sent Events arrive as sent), and
 * a quiet stream is not cut. Errors use the platform's error envelope.
 */
export async function createGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const missing = [...new Set(options.routes.map((r) => r.service))].filter((s) => !(s in options.backends));
  if (missing.length > 0) throw new Error(`no backend given for service(s) ${missing.join(', ')}`);
  const prefixOf = (service: string): string => `/__gateway/${service}`;
  const app = Fastify({
    logger: false,
    trustProxy: true,
    // Routing by the Ingress's rules happens before Fastify's own: a request is sent to the
    // proxy of its backend, or left unrouted (404).
    rewriteUrl: (req) => {
      const url = req.url ?? '/';
      if (url.startsWith('/__gateway/')) return `/__unrouted${url}`;
      const route = matchRoute(options.routes, url);
      return route === undefined ? `/__unrouted${url}` : `${prefixOf(route.service)}${url}`;
    },
  });
  // One proxy per backend.
  for (const [service, upstream] of Object.entries(options.backends)) {
    await app.register(proxy, {
      upstream,
      prefix: prefixOf(service),
      rewritePrefix: '',
      // The services' Location headers are already the public paths the Ingress routes; the
      // proxy's default would prefix them with the internal /__gateway/<service> mount.
      internalRewriteLocationHeader: false,
      // SSE: no body timeout (the services send a heartbeat every 15 s; clients resume).
      undici: { bodyTimeout: 0, headersTimeout: 30_000 },
      replyOptions: {
        // As ingress-nginx does, so the services (trustProxy) see the client.
        rewriteRequestHeaders: (request, headers) => ({
          ...headers,
          'x-forwarded-for': forwardedFor(request.headers['x-forwarded-for'], request.socket.remoteAddress),
          'x-forwarded-proto': 'http',
          'x-forwarded-host': request.headers.host ?? '',
        }),
        onResponse: (_request, reply, response) => {
          void reply.send(response.stream);
          // Node holds response headers until the first body byte; an event stream may stay quiet
          // for a while, and the client must see it open (as the services flush theirs).
          const raw = reply.raw;
          if (
            String(reply.getHeader('content-type') ?? '').startsWith('text/event-stream') &&
            'flushHeaders' in raw
          ) {
            raw.flushHeaders();
          }
        },
        onError: (reply, { error }) => {
          void reply
            .code(502)
            .type('application/json')
            .send(
              envelope(
                'BACKEND_UNAVAILABLE',
                `the ${service} service at ${upstream} does not answer: ${error.message}`,
              ),
            );
        },
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = (request.raw.url ?? '').replace(/^\/__unrouted/, '').split('?')[0] ?? '';
    const known = options.routes.map((r) => r.path).join(', ');
    return sendError(
      reply,
      404,
      'ROUTE_NOT_FOUND',
      `No service is routed at ${path}; the gateway routes ${known}`,
    );
  });
  return app;
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json').send(envelope(code, message));
}

function forwardedFor(previous: string | string[] | undefined, client: string | undefined): string {
  const chain = [previous, client].flat().filter((part): part is string => part !== undefined && part !== '');
  return chain.join(', ');
}

/** The platform's error envelope (the services answer the same shape). */
function envelope(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
