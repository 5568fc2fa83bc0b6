import { parseHostPortList, type HostPort } from '../config/host-port-list';
import type { RedisServiceEnv } from '../config/redis-env';

/** Credentials and TLS of the Redis servers that hold the data (Sentinel and Cluster modes). */
export interface RedisServerAuth {
  username?: string;
  password?: string;
  tls: boolean;
}

/** Where the service's Redis is, in one of the three shapes ioredis connects to. */
export type RedisSettings =
  | { mode: 'standalone'; url: string }
  | (RedisServerAuth & {
      mode: 'sentinel';
      sentinels: HostPort[];
      masterName: string;
      sentinelPassword?: string;
      sentinelTls: boolean;
    })
  | (RedisServerAuth & { mode: 'cluster'; nodes: HostPort[] });

/** The Redis connection of a validated environment (loadEnv has checked every key of its mode). */
export function redisSettings(env: RedisServiceEnv): RedisSettings {
  const auth: RedisServerAuth = {
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    tls: env.REDIS_TLS ?? false,
  };
  switch (env.REDIS_MODE) {
    case 'standalone':
      return { mode: 'standalone', url: required(env.REDIS_URL, 'REDIS_URL') };
    case 'sentinel':
      return {
        ...auth,
        mode: 'sentinel',
        sentinels: addresses(env.REDIS_SENTINELS, 'REDIS_SENTINELS'),
        masterName: required(env.REDIS_SENTINEL_MASTER, 'REDIS_SENTINEL_MASTER'),
        sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
        sentinelTls: env.REDIS_SENTINEL_TLS ?? false,
      };
    case 'cluster':
      return { ...auth, mode: 'cluster', nodes: addresses(env.REDIS_CLUSTER_NODES, 'REDIS_CLUSTER_NODES') };
  }
}

// Only reachable when called with an environment that did not go through loadEnv.
function required(value: string | undefined, key: string): string {
  if (value === undefined) throw new Error(`${key} is not set; load the environment with loadEnv first`);
  return value;
}

function addresses(value: string | undefined, key: string): HostPort[] {
  const parsed = parseHostPortList(required(value, key));
  if (parsed === undefined)
    throw new Error(`${key} is not a host:port list; load the environment with loadEnv first`);
  return parsed;
}

/**
 * The Redis connection of a service for which Redis is optional (`redisOptional`): undefined when
 * none is configured (standalone mode without REDIS_URL).
 */
export function optionalRedisSettings(env: RedisServiceEnv): RedisSettings | undefined {
  if (env.REDIS_MODE === 'standalone' && env.REDIS_URL === undefined) return undefined;
  return redisSettings(env);
}
