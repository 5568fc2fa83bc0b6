import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { RuntimeConfig } from '../config/service-env';
import { redactUrl } from './redact-url';
import { REQUEST_ID_HEADER, assignRequestId } from './request-id';

/**
 * JSON logs through pino. The request id is decided once per request (see the Fastify hook in
 * create-service-app) and reused here, so the response header and every log line agree.
 */
export function loggerOptions(config: RuntimeConfig, destination?: NodeJS.WritableStream): Params {
  return {
    pinoHttp: [
      {
        level: config.logLevel,
        base: { service: config.serviceName },
        messageKey: 'message',
        timestamp: () => `,"time":"${new Date().toISOString()}"`,
        formatters: { level: (label: string) => ({ level: label }) },
        genReqId: (req: IncomingMessage, res: ServerResponse) => {
          const id = assignRequestId(req);
          if (!res.headersSent) res.setHeader(REQUEST_ID_HEADER, id);
          return id;
        },
        // One child logger per request, bound to the request id only. pino-http's default (a
        // child with `req`, then a child of that for custom props) makes the first child a
        // prototype, which costs V8 several kilobytes per open request: thousands of idle SSE
        // streams hold theirs for hours. The completion line gets `req` from the objects below.
        quietReqLogger: true,
        quietResLogger: true,
        customAttributeKeys: { reqId: 'requestId' },
        customSuccessObject: (req: IncomingMessage, _res: ServerResponse, value: object) => ({
          req,
          ...value,
        }),
        customErrorObject: (req: IncomingMessage, _res: ServerResponse, _error: Error, value: object) => ({
          req,
          ...value,
        }),
        // Probes and scrapes every few seconds would drown the useful lines. (Middleware sees a
        // mount-relative `url`; `originalUrl` is the path as requested.)
        autoLogging: {
          ignore: (req: IncomingMessage & { originalUrl?: string }) =>
            isQuietPath(req.originalUrl ?? req.url),
        },
        customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
          error !== undefined || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        redact: ['req.headers.authorization', 'req.headers.cookie'],
        serializers: {
          req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      },
      destination ?? process.stdout,
    ],
    // Nest 11 path syntax; nestjs-pino's default '*' triggers a legacy-route warning.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}

function isQuietPath(url: string | undefined): boolean {
  return url === '/metrics' || (url?.startsWith('/healthz/') ?? false);
}
