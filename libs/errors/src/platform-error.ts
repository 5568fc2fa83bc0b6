/**
 * Base of every named error the platform throws. It carries a stable machine-readable `code`
 * (what clients switch on) and optional `details`; it knows nothing about HTTP so that libraries
 * stay framework-free. Each service maps the subclasses to statuses in one place.
 */
export abstract class PlatformError extends Error {
  abstract readonly kind: PlatformErrorKind;

  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The closed set of error families; the HTTP mapping switches over it exhaustively. */
export type PlatformErrorKind =
  | 'invalid-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'unprocessable'
  | 'payload-too-large'
  | 'rate-limited'
  | 'unavailable'
  | 'upstream-unavailable'
  | 'upstream-timeout'
  | 'upstream-failure';
