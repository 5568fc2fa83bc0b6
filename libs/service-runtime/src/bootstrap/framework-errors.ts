import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorEnvelope } from '../http/error-envelope';

/**
 * Fastify's answers to URLs its router cannot take, in the error envelope: a path whose
 * percent-encoding is broken (`%zz`, bytes that are not UTF-8) and a path parameter longer than
 * the router allows. Fastify's own bodies are not the envelope, and they echo the URL, whose
 * query can hold a credential (`?access_token=`).
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const [status, code, message] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'URI_TOO_LONG', 'a segment of the path is longer than any name this API takes']
      : error.code === 'FST_ERR_BAD_URL'
        ? [
            400,
            'BAD_URL',
            'the path is not valid percent-encoding (a % must be followed by two hex digits that encode UTF-8); escape each segment, e.g. with encodeURIComponent',
          ]
        : [400, 'BAD_REQUEST', 'the request could not be routed'];
  void reply.status(status).send(envelope(code, message));
}

function envelope(code: string, message: string, details?: Record<string, unknown>): ErrorEnvelope {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}
