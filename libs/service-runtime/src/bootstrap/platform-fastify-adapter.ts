import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PayloadTooLargeError } from '@platform/errors';
import type { FastifyError, FastifyRequest } from 'fastify';

type ErrorHandler = Parameters<FastifyAdapter['setErrorHandler']>[0];

/**
 * Fastify as Nest drives it, with the errors Fastify raises itself (before or around Nest's
 * handler) turned into the platform's named errors on their way to Nest's exception filters, so
 * that they get the envelope with a code and a message that says what happened (a body over the
 * route's limit, with the limit). Nest would make them bare HttpExceptions.
 */
export class PlatformFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(handler: ErrorHandler): ReturnType<FastifyAdapter['setErrorHandler']> {
    return super.setErrorHandler(function (this: unknown, error, request, reply): void {
      // Nest's handler answers through its exception filters and returns nothing.
      void handler.call(this as never, translate(error as FastifyError, request), request, reply);
    } as ErrorHandler);
  }
}

function translate(error: FastifyError, request: FastifyRequest): Error {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = request.routeOptions.bodyLimit;
      return new PayloadTooLargeError(
        'PAYLOAD_TOO_LARGE',
        `the request body is larger than ${limit} bytes, the most ${request.method} ${request.routeOptions.url ?? request.url} accepts`,
        { limitBytes: limit },
      );
    }
    default:
      return error;
  }
}
