import type { ServerResponse } from 'node:http';
import { sendJson } from '../core/http-kit';
import type { FieldFilter } from './field-filter';
import type { GrpcError } from './grpc-status';

/**
 * How a server renders unary errors. Argo Workflows installs grpc-gateway's proto error handler,
 * whose body is the bare status `{"code","message"}`; Argo CD keeps the default handler, which adds
 * `"error"` with the same text first.
 */
export type ErrorBodyStyle = 'status' | 'gateway';

/** The body of a unary error, field order as Go marshals the structs. */
export function unaryErrorBody(error: GrpcError, style: ErrorBodyStyle): Record<string, unknown> {
  return style === 'status'
    ? { code: error.code, message: error.message }
    : { error: error.message, code: error.code, message: error.message };
}

export function sendUnaryError(res: ServerResponse, error: GrpcError, style: ErrorBodyStyle): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.httpStatus, unaryErrorBody(error, style));
}

/** A unary result, trimmed by `fields=` on the endpoints whose forwarder supports it. */
export function sendUnary(res: ServerResponse, body: unknown, filter?: FieldFilter): void {
  sendJson(res, 200, filter === undefined ? body : filter.apply(body));
}
