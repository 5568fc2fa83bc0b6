export { PlatformError, type PlatformErrorKind } from './platform-error';
export {
  InvalidRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  UnprocessableError,
  PayloadTooLargeError,
  RateLimitedError,
} from './client-errors';
export { UpstreamUnavailableError, UpstreamTimeoutError, UpstreamFailureError } from './upstream-errors';
export { ServiceUnavailableError } from './service-errors';
