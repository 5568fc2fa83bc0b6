import { PlatformError } from './platform-error';

/** An upstream (Argo, Argo CD, Kubernetes, Redis) cannot be reached or refuses for now; retry later. */
export class UpstreamUnavailableError extends PlatformError {
  readonly kind = 'upstream-unavailable';

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

/** An upstream did not answer in time. */
export class UpstreamTimeoutError extends PlatformError {
  readonly kind = 'upstream-timeout';
}

/** An upstream answered with an error we cannot attribute to the caller (its 5xx, a malformed body). */
export class UpstreamFailureError extends PlatformError {
  readonly kind = 'upstream-failure';
}
