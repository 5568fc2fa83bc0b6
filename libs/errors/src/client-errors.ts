import { PlatformError } from './platform-error';

/** The request is malformed or names something impossible; the message says what to fix. */
export class InvalidRequestError extends PlatformError {
  readonly kind = 'invalid-request';
}

/** No or bad credentials. */
export class UnauthorizedError extends PlatformError {
  readonly kind = 'unauthorized';
}

/** Authenticated, but not allowed to do this. */
export class ForbiddenError extends PlatformError {
  readonly kind = 'forbidden';
}

/** The named resource does not exist. */
export class NotFoundError extends PlatformError {
  readonly kind = 'not-found';
}

/** The resource already exists, or the request raced another change (stale version, duplicate key). */
export class ConflictError extends PlatformError {
  readonly kind = 'conflict';
}

/** Well-formed, but refused by a business rule (e.g. deploying an image that was never built). */
export class UnprocessableError extends PlatformError {
  readonly kind = 'unprocessable';
}

/** The request body is larger than the route accepts; the message names the limit. */
export class PayloadTooLargeError extends PlatformError {
  readonly kind = 'payload-too-large';
}

/** Too many requests; `retryAfterSeconds` says when to come back. */
export class RateLimitedError extends PlatformError {
  readonly kind = 'rate-limited';

  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds?: number,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(code, message, details, options);
  }
}
