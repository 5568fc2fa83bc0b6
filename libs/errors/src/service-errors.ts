import { PlatformError } from './platform-error';

/**
 * The service itself cannot take the request now (overloaded, or the request ran out of time),
 * not an upstream: the message is the platform's own and is shown as is; retry after the hint.
 */
export class ServiceUnavailableError extends PlatformError {
  readonly kind = 'unavailable';

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
