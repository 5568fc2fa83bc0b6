import { GrpcCode } from '../core/grpc-codes';
import { StoreError } from '../core/store-errors';

export { GrpcCode } from '../core/grpc-codes';

/** grpc-gateway v1.16 `HTTPStatusFromCode`. */
export function httpStatusFromCode(code: GrpcCode): number {
  switch (code) {
    case GrpcCode.OK:
      return 200;
    case GrpcCode.Canceled:
      return 408;
    case GrpcCode.Unknown:
    case GrpcCode.Internal:
    case GrpcCode.DataLoss:
      return 500;
    case GrpcCode.InvalidArgument:
    case GrpcCode.FailedPrecondition:
    case GrpcCode.OutOfRange:
      return 400;
    case GrpcCode.DeadlineExceeded:
      return 504;
    case GrpcCode.NotFound:
      return 404;
    case GrpcCode.AlreadyExists:
    case GrpcCode.Aborted:
      return 409;
    case GrpcCode.PermissionDenied:
      return 403;
    case GrpcCode.Unauthenticated:
      return 401;
    case GrpcCode.ResourceExhausted:
      return 429;
    case GrpcCode.Unimplemented:
      return 501;
    case GrpcCode.Unavailable:
      return 503;
  }
}

/** The gRPC code a fault-injected HTTP status stands for (the admin API speaks HTTP statuses). */
export function codeFromHttpStatus(status: number): GrpcCode {
  const table: Record<number, GrpcCode> = {
    400: GrpcCode.InvalidArgument,
    401: GrpcCode.Unauthenticated,
    403: GrpcCode.PermissionDenied,
    404: GrpcCode.NotFound,
    408: GrpcCode.Canceled,
    409: GrpcCode.Aborted,
    429: GrpcCode.ResourceExhausted,
    501: GrpcCode.Unimplemented,
    503: GrpcCode.Unavailable,
    504: GrpcCode.DeadlineExceeded,
  };
  return table[status] ?? GrpcCode.Internal;
}

/** A failure with a gRPC status: what the servers' handlers return, rendered by the gateway. */
export class GrpcError extends Error {
  constructor(
    readonly code: GrpcCode,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
  }

  get httpStatus(): number {
    return httpStatusFromCode(this.code);
  }
}

/**
 * Translates anything a handler throws into a gRPC status the way Argo's `ToStatusError` does for
 * Kubernetes errors; bad request bodies are InvalidArgument like grpc-gateway's decoder errors.
 */
export function toGrpcError(error: unknown, fallback: GrpcCode = GrpcCode.Internal): GrpcError {
  if (error instanceof GrpcError) return error;
  if (error instanceof StoreError) {
    switch (error.reason) {
      case 'NotFound':
        return new GrpcError(GrpcCode.NotFound, error.message);
      case 'AlreadyExists':
        return new GrpcError(GrpcCode.AlreadyExists, error.message);
      case 'Conflict':
        return new GrpcError(GrpcCode.Aborted, error.message);
      case 'Invalid':
      case 'BadRequest':
      case 'Expired':
        return new GrpcError(GrpcCode.InvalidArgument, error.message);
      case 'TooLarge':
        return new GrpcError(GrpcCode.DeadlineExceeded, error.message);
    }
  }
  if (error instanceof SyntaxError || error instanceof RangeError) {
    return new GrpcError(GrpcCode.InvalidArgument, error.message);
  }
  return new GrpcError(fallback, error instanceof Error ? error.message : String(error));
}
