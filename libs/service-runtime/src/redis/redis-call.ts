import { PlatformError, UpstreamUnavailableError } from '@platform/errors';
import { RequestContext } from '../logging/request-context';

const RETRY_AFTER_S = 2;

/**
 * Runs Redis commands and reports a Redis outage as 503 REDIS_UNAVAILABLE with Retry-After (the
 * client fails fast instead of queueing, see createRedisClient), never as a bare 500. The wait
 * counts as upstream time of the current request. A PlatformError thrown inside (a bad cursor,
 * say) is the caller's answer and passes through unchanged.
 */
export async function redisCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    throw new UpstreamUnavailableError(
      'REDIS_UNAVAILABLE',
      `Redis is not answering (${what}): ${(error as Error).message}`,
      RETRY_AFTER_S,
      { upstream: 'REDIS' },
      { cause: error },
    );
  } finally {
    // Waiting for Redis is upstream time, like waiting for Argo (Server-Timing, benchmarks).
    RequestContext.recordUpstream(Number(process.hrtime.bigint() - started) / 1e9);
  }
}
