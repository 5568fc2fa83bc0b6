import { ForbiddenError, NotFoundError, UnauthorizedError } from '@platform/errors';
import { ACCESS_REVOKED_EVENT, TOKEN_EXPIRED_EVENT, type SseMessage } from './sse-format';

/**
 * A stream's `recheck` from an authorization check that throws the service's own errors: a
 * refusal (not found, forbidden) closes the stream with `forbidden`, an authentication failure
 * with `unauthorized`; any other failure (an upstream away) is rethrown, and the check is tried
 * again later with the stream left open.
 */
export function accessRecheck(authorize: () => Promise<unknown>): () => Promise<SseMessage | undefined> {
  return async () => {
    try {
      await authorize();
      return undefined;
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ForbiddenError) return ACCESS_REVOKED_EVENT;
      if (error instanceof UnauthorizedError && error.details?.upstream === undefined)
        return TOKEN_EXPIRED_EVENT;
      throw error;
    }
  };
}
