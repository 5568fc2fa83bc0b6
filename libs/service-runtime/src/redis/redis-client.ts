import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * An ioredis client that fails fast instead of queueing while Redis is away (callers get an error
 * they can turn into 503, and readiness reports the outage) and reconnects on its own.
 */
export function createRedisClient(url: string, connectionName: string): Redis {
  const logger = new Logger('Redis');
  const client = new Redis(url, {
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // ioredis emits one error per reconnect attempt; log at most one every few seconds.
  let lastLogged = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn(`Redis unreachable: ${error.message}`);
  });
  return client;
}
