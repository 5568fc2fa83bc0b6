import { HttpException } from '@nestjs/common';
import {
  PlatformError,
  RateLimitedError,
  ServiceUnavailableError,
  UpstreamUnavailableError,
} from '@platform/errors';
import type { ErrorEnvelope } from './error-envelope';
import { codeForStatus, statusForKind } from './error-status';
import { upstreamMessage } from './upstream-message';

/** What an error becomes on the wire. */
export interface ErrorResponse {
  status: number;
  body: ErrorEnvelope;
  headers: Record<string, string>;
  /** 5xx from our own code: the only kind worth a stack trace in the logs. */
  unexpected: boolean;
  /** An upstream's failure: what it said, for the log only (the body has the platform's words). */
  upstream?: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * Turns anything thrown into the error envelope. Named platform errors map by family; framework
 * errors keep their status; anything else is a 500 whose message leaks nothing internal.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof PlatformError) return fromPlatformError(error);
  if (error instanceof HttpException) return fromHttpException(error);
  const status = statusOfThrown(error);
  if (status !== undefined && status >= 400 && status < 500) {
    const message = error instanceof Error ? error.message : 'Bad request';
    return response(status, codeForStatus(status), message);
  }
  return {
    ...response(500, 'INTERNAL', 'An unexpected error occurred; it has been logged'),
    unexpected: true,
  };
}

function fromPlatformError(error: PlatformError): ErrorResponse {
  const status = statusOf(error);
  const retryAfterSeconds =
    error instanceof UpstreamUnavailableError ||
    error instanceof RateLimitedError ||
    error instanceof ServiceUnavailableError
      ? error.retryAfterSeconds
      : undefined;
  const retryAfter = retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(retryAfterSeconds));
  // The service's own 503 (overloaded, out of time) speaks in its own words; upstreams' never do.
  const result =
    status >= 500 && error.kind !== 'unavailable'
      ? fromUpstreamFailure(error, status, retryAfter)
      : response(status, error.code, error.message, error.details);
  if (retryAfter !== undefined) result.headers['retry-after'] = String(retryAfter);
  return result;
}

/**
 * 502/503/504: the code and the upstream's name, in the platform's own words. The upstream's text
 * can hold internal host names, resource names of other teams or credentials' error details.
 */
function fromUpstreamFailure(
  error: PlatformError,
  status: number,
  retryAfter: number | undefined,
): ErrorResponse {
  const upstream = error.details?.upstream;
  const result = response(
    status,
    error.code,
    upstreamMessage(status, upstream, retryAfter),
    upstream === undefined ? undefined : { upstream },
  );
  result.upstream = { code: error.code, message: error.message, details: error.details };
  return result;
}

/**
 * An upstream's refusal (its 401, 403, 404, 409, 400) that a service did not handle is the
 * service's own call going wrong — bad credentials, a missing template — not the caller's fault:
 * it is a 502, never the caller's 401 or 404. Upstream errors carry `details.upstream`.
 */
function statusOf(error: PlatformError): number {
  const status = statusForKind(error.kind);
  return status < 500 && error.details?.upstream !== undefined ? 502 : status;
}

function fromHttpException(error: HttpException): ErrorResponse {
  const status = error.getStatus();
  const message = messageOf(error.getResponse()) ?? error.message;
  if (status === 404 && /^Cannot [A-Z]+ /.test(message)) {
    // Nest's message holds the whole URL: its query can carry a credential (`?access_token=`),
    // which must not come back in a body (nor reach a log through one).
    const route = message.replace(/^Cannot /, '').replace(/\?.*$/s, '');
    return response(404, 'ROUTE_NOT_FOUND', `No route ${route}; the API is described at /docs`);
  }
  return { ...response(status, codeForStatus(status), message), unexpected: status >= 500 };
}

function messageOf(body: string | object): string | undefined {
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return undefined;
}

function statusOfThrown(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status =
    (error as { statusCode?: unknown; status?: unknown }).statusCode ??
    (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

function response(
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): ErrorResponse {
  const body: ErrorEnvelope = { error: { code, message } };
  if (details !== undefined) body.error.details = details;
  return { status, body, headers: {}, unexpected: false };
}
