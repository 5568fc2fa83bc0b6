import { Logger } from '@nestjs/common';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { logRedisErrorsRateLimited } from './redis-error-log';
import type { RedisSettings } from './redis-settings';

/**
 * What the services hold: a Redis connection (standalone or through Sentinel) or a Redis Cluster.
 * Both have the same command API (commands, pipeline, multi, defineCommand, pub/sub); code that
 * needs one of them only (CLUSTER INFO, SCAN over every node) has to narrow it.
 */
export type RedisClient = Redis | Cluster;

/**
 * `commands`: request-path commands fail at once while Redis is away (callers answer 503,
 * readiness reports the outage) instead of piling up in a queue.
 * `subscriber`: a SUBSCRIBE issued before the connection is up waits for it; nobody waits for its
 * reply, and ioredis re-subscribes after every reconnect only channels it once subscribed.
 */
export type RedisClientRole = 'commands' | 'subscriber';

const CONNECT_TIMEOUT_MS = 2000;
const reconnectDelay = (attempt: number): number => Math.min(attempt * 200, 2000);

/** One client of the configured kind, reconnecting on its own, logging its errors at most every few seconds. */
export function createRedisClient(
  settings: RedisSettings,
  connectionName: string,
  role: RedisClientRole = 'commands',
): RedisClient {
  const client = connect(settings, connectionName, role);
  logRedisErrorsRateLimited(client, new Logger('Redis'));
  return client;
}

function connect(settings: RedisSettings, connectionName: string, role: RedisClientRole): RedisClient {
  const queueWhileOffline = role === 'subscriber';
  const perConnection = {
    connectionName,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: queueWhileOffline ? null : 1,
  } satisfies RedisOptions;
  switch (settings.mode) {
    case 'standalone':
      return new Redis(settings.url, {
        ...perConnection,
        enableOfflineQueue: queueWhileOffline,
        retryStrategy: reconnectDelay,
      });
    case 'sentinel':
      return new Redis({
        ...perConnection,
        enableOfflineQueue: queueWhileOffline,
        retryStrategy: reconnectDelay,
        sentinels: settings.sentinels,
        name: settings.masterName,
        sentinelPassword: settings.sentinelPassword,
        sentinelTLS: settings.sentinelTls ? {} : undefined,
        sentinelRetryStrategy: reconnectDelay,
        username: settings.username,
        password: settings.password,
        tls: settings.tls ? {} : undefined,
        enableTLSForSentinelMode: settings.tls,
        // Hear +switch-master from the Sentinels instead of waiting for the old master to drop us.
        failoverDetector: true,
        // A write that reached a demoted master: reconnect, and the Sentinels name the new one.
        reconnectOnError: (error) => error.message.startsWith('READONLY'),
      });
    case 'cluster':
      return new Cluster(settings.nodes, {
        enableOfflineQueue: queueWhileOffline,
        clusterRetryStrategy: reconnectDelay,
        redisOptions: {
          ...perConnection,
          username: settings.username,
          password: settings.password,
          tls: settings.tls ? {} : undefined,
        },
      });
  }
}
