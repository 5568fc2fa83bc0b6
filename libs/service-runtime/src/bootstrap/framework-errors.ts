import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
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

/**
 * What a connection gets whose bytes are not an HTTP/1.1 request Node can parse (an unknown
 * method, a control character in a header, headers over the size limit, a request that did not
 * arrive in time): the status Node would send, with the error envelope as its body, then the
 * connection is closed. Nothing of the request is echoed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          'HEADERS_TOO_LARGE',
          'the request headers are larger than the server accepts',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'the request did not arrive completely in time']
        : [
            400,
            'Bad Request',
            'MALFORMED_REQUEST',
            'the request is not valid HTTP/1.1 (check the method, the path and the header names and values)',
          ];
  const body = JSON.stringify(
    envelope(code, message, error.code === undefined ? undefined : { parserError: error.code }),
  );
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function envelope(code: string, message: string, details?: Record<string, unknown>): ErrorEnvelope {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}
