import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  type PlatformError,
  UnauthorizedError,
  UpstreamFailureError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '@platform/errors';

/** Which upstream an error came from; it prefixes the error code (e.g. ARGO_CD_NOT_FOUND). */
export type UpstreamName = 'ARGO_WORKFLOWS' | 'ARGO_CD' | 'GIT' | 'REGISTRY';

const DEFAULT_RETRY_AFTER_S = 5;

/** grpc codes as grpc-gateway reports them (google.golang.org/grpc/codes). */
const Grpc = {
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

/**
 * Maps an upstream failure (HTTP status and/or grpc code, with the upstream's message) to a named
 * platform error. The grpc code wins when present because Argo reports it precisely while the HTTP
 * status of a failed stream may be 200.
 */
export function upstreamError(
  upstream: UpstreamName,
  status: number | undefined,
  grpcCode: number | undefined,
  message: string,
  retryAfterSeconds?: number,
): PlatformError {
  const text = message.trim() === '' ? `HTTP ${status ?? '?'}` : message.trim();
  const code = (suffix: string): string => `${upstream}_${suffix}`;
  const details = { upstream, status, grpcCode };
  switch (grpcCode) {
    case Grpc.InvalidArgument:
    case Grpc.FailedPrecondition:
      return new InvalidRequestError(code('INVALID_REQUEST'), text, details);
    case Grpc.NotFound:
      return new NotFoundError(code('NOT_FOUND'), text, details);
    case Grpc.AlreadyExists:
    case Grpc.Aborted:
      return new ConflictError(code('CONFLICT'), text, details);
    case Grpc.PermissionDenied:
      return new ForbiddenError(code('FORBIDDEN'), text, details);
    case Grpc.Unauthenticated:
      return new UnauthorizedError(code('UNAUTHORIZED'), text, details);
    case Grpc.ResourceExhausted:
    case Grpc.Unavailable:
      return new UpstreamUnavailableError(
        code('UNAVAILABLE'),
        text,
        retryAfterSeconds ?? DEFAULT_RETRY_AFTER_S,
        details,
      );
    case Grpc.DeadlineExceeded:
      return new UpstreamTimeoutError(code('TIMEOUT'), text, details);
    default:
      return fromStatus(upstream, status, text, details, retryAfterSeconds);
  }
}

function fromStatus(
  upstream: UpstreamName,
  status: number | undefined,
  text: string,
  details: Record<string, unknown>,
  retryAfterSeconds: number | undefined,
): PlatformError {
  const code = (suffix: string): string => `${upstream}_${suffix}`;
  if (status === 400 || status === 415 || status === 422)
    return new InvalidRequestError(code('INVALID_REQUEST'), text, details);
  if (status === 401) return new UnauthorizedError(code('UNAUTHORIZED'), text, details);
  if (status === 403) return new ForbiddenError(code('FORBIDDEN'), text, details);
  if (status === 404) return new NotFoundError(code('NOT_FOUND'), text, details);
  if (status === 409) return new ConflictError(code('CONFLICT'), text, details);
  if (status === 429 || status === 502 || status === 503) {
    return new UpstreamUnavailableError(
      code('UNAVAILABLE'),
      text,
      retryAfterSeconds ?? DEFAULT_RETRY_AFTER_S,
      details,
    );
  }
  if (status === 504) return new UpstreamTimeoutError(code('TIMEOUT'), text, details);
  return new UpstreamFailureError(code('FAILURE'), text, details);
}

/** Whether an error is worth retrying for an idempotent call. */
export function isRetryable(error: unknown): boolean {
  return error instanceof UpstreamUnavailableError || error instanceof UpstreamTimeoutError;
}
