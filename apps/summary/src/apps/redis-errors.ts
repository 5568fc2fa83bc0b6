import { PlatformError, UpstreamUnavailableError } from '@platform/errors';

/** Redis trouble on the read path is a 503 with Retry-After, never a bare 500. */
export async function fromRedis<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    throw new UpstreamUnavailableError(
      'SUMMARY_STORE_UNAVAILABLE',
      `the summary store (Redis) is not answering: ${(error as Error).message}`,
      2,
      { upstream: 'REDIS' },
      { cause: error },
    );
  }
}
