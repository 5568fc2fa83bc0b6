import { ForbiddenError, UnauthorizedError, UpstreamFailureError } from '@platform/errors';

/**
 * An upstream refusing the service's own credentials is the platform's problem, not the caller's:
 * report it as a 502 rather than passing on a 401/403 the caller could not fix.
 */
export function asUpstreamTrouble(error: unknown): unknown {
  if (error instanceof UnauthorizedError || error instanceof ForbiddenError) {
    return new UpstreamFailureError(
      'UPSTREAM_REFUSED_CREDENTIALS',
      `an upstream refused the monitoring service's credentials: ${error.message}`,
      undefined,
      { cause: error },
    );
  }
  return error;
}
