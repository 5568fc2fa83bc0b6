import { optionalRedisSettings, redisSettings } from '../redis/redis-settings';
import { ConfigValidationError } from './config-validation.error';
import { loadEnv } from './load-config';
import { RedisServiceEnv } from './redis-env';

class ExampleEnv extends RedisServiceEnv {
  override PORT: number = 3001;
  override ROUTE_PREFIX: string = '/example/v1';
}

const base = {
  AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.com',
};

/** The problems loadEnv reports, by key (empty when the environment is valid). */
function problems(env: Record<string, string>): Record<string, string[]> {
  try {
    loadEnv(ExampleEnv, { ...base, ...env });
    return {};
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return Object.fromEntries(error.problems.map((p) => [p.key, p.problems]));
  }
}

describe('the Redis settings of the environment', () => {
  it('reads one server from REDIS_URL by default', () => {
    const env = loadEnv(ExampleEnv, { ...base, REDIS_URL: 'rediss://u:p@redis:6380/2' });
    expect(redisSettings(env)).toEqual({ mode: 'standalone', url: 'rediss://u:p@redis:6380/2' });
  });

  it('reads a Sentinel setup with its own credentials and TLS', () => {
    const env = loadEnv(ExampleEnv, {
      ...base,
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: 'sentinel-0:26379, 10.0.0.7:26380,[::1]:26381',
      REDIS_SENTINEL_MASTER: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 's3cret',
      REDIS_SENTINEL_TLS: 'true',
      REDIS_USERNAME: 'platform',
      REDIS_PASSWORD: 'pw',
      REDIS_TLS: 'false',
    });
    expect(redisSettings(env)).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 'sentinel-0', port: 26379 },
        { host: '10.0.0.7', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      masterName: 'mymaster',
      sentinelPassword: 's3cret',
      sentinelTls: true,
      username: 'platform',
      password: 'pw',
      tls: false,
    });
  });

  it('reads Cluster seed nodes, TLS off unless asked for', () => {
    const env = loadEnv(ExampleEnv, {
      ...base,
      REDIS_MODE: 'cluster',
      REDIS_CLUSTER_NODES: 'redis-0:6379,redis-1:6379',
      REDIS_PASSWORD: 'pw',
    });
    expect(redisSettings(env)).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'redis-0', port: 6379 },
        { host: 'redis-1', port: 6379 },
      ],
      username: undefined,
      password: 'pw',
      tls: false,
    });
  });

  it.each([
    [{}, { REDIS_URL: ['REDIS_URL is required when REDIS_MODE=standalone, e.g. redis://127.0.0.1:6379'] }],
    [
      { REDIS_URL: 'http://redis' },
      { REDIS_URL: ['REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379'] },
    ],
    [
      { REDIS_MODE: 'replicated' },
      { REDIS_MODE: ['REDIS_MODE must be one of standalone, sentinel, cluster'] },
    ],
    [
      { REDIS_MODE: 'sentinel' },
      {
        REDIS_SENTINELS: [
          'REDIS_SENTINELS is required when REDIS_MODE=sentinel, e.g. sentinel-0:26379,sentinel-1:26379',
        ],
        REDIS_SENTINEL_MASTER: ['REDIS_SENTINEL_MASTER is required when REDIS_MODE=sentinel, e.g. mymaster'],
      },
    ],
    [
      { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'redis-0:6379,redis-1', REDIS_TLS: 'yes' },
      {
        REDIS_CLUSTER_NODES: [
          'REDIS_CLUSTER_NODES must be host:port[,host:port...], e.g. redis-0:6379,redis-1:6379,redis-2:6379',
        ],
        REDIS_TLS: ['REDIS_TLS must be true or false'],
      },
    ],
  ])('refuses %j naming each bad key', (env, expected) => {
    expect(problems(env)).toEqual(expected);
  });

  it('refuses a key of another mode instead of ignoring it (a half-switched config)', () => {
    expect(
      problems({
        REDIS_MODE: 'cluster',
        REDIS_URL: 'redis://redis:6379',
        REDIS_CLUSTER_NODES: 'redis-0:6379',
        REDIS_SENTINEL_MASTER: 'mymaster',
      }),
    ).toEqual({
      REDIS_URL: ['REDIS_URL is only read when REDIS_MODE is standalone (it is cluster); remove it'],
      REDIS_SENTINEL_MASTER: [
        'REDIS_SENTINEL_MASTER is only read when REDIS_MODE is sentinel (it is cluster); remove it',
      ],
    });
    expect(problems({ REDIS_URL: 'redis://redis:6379', REDIS_PASSWORD: 'pw' })).toEqual({
      REDIS_PASSWORD: [
        'REDIS_PASSWORD is only read when REDIS_MODE is sentinel or cluster (it is standalone); remove it',
      ],
    });
  });

  describe('of a service that runs without Redis too', () => {
    class OptionalRedisEnv extends ExampleEnv {
      static override readonly redisOptional = true;
    }

    it('has none without REDIS_URL, and one with it', () => {
      expect(optionalRedisSettings(loadEnv(OptionalRedisEnv, base))).toBeUndefined();
      expect(
        optionalRedisSettings(loadEnv(OptionalRedisEnv, { ...base, REDIS_URL: 'redis://r:6379' })),
      ).toEqual({
        mode: 'standalone',
        url: 'redis://r:6379',
      });
    });

    it('still needs every key of a mode asked for, and a well-formed URL', () => {
      const problemsOf = (env: Record<string, string>): string[] => {
        try {
          loadEnv(OptionalRedisEnv, { ...base, ...env });
          return [];
        } catch (error) {
          return (error as ConfigValidationError).problems.map((p) => p.key);
        }
      };
      expect(problemsOf({ REDIS_MODE: 'sentinel' })).toEqual(['REDIS_SENTINELS', 'REDIS_SENTINEL_MASTER']);
      expect(problemsOf({ REDIS_URL: 'http://r' })).toEqual(['REDIS_URL']);
    });
  });
});
