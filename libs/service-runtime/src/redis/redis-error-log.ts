import type { Logger } from '@nestjs/common';
import type { RedisClient } from './redis-client';

const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Logs a client's connection errors at most once every few seconds: ioredis emits one per
 * reconnect attempt (per node in a Cluster), which would flood the log during an outage.
 */
export function logRedisErrorsRateLimited(client: RedisClient, logger: Logger): void {
  let lastLogged = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn(`Redis unreachable: ${error.message}`);
  });
}
