import { ConfigValidationError } from './config-validation.error';
import { describeEnv } from './describe-env';
import { loadEnv } from './load-config';
import { RedisServiceEnv } from './redis-env';

class ExampleEnv extends RedisServiceEnv {
  override PORT: number = 3001;
  override ROUTE_PREFIX: string = '/example/v1';
}

describe(loadEnv.name, () => {
  it('applies defaults, converts numbers and ignores unrelated variables', () => {
    const env = loadEnv(ExampleEnv, {
      REDIS_URL: 'redis://r:6379',
      AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
      AUTH_ISSUER: 'https://idp.example.com',
      PORT: '8080',
      PATH: '/usr/bin',
      HOST: '',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      ROUTE_PREFIX: '/example/v1',
      LOG_LEVEL: 'info',
    });
    expect(env).not.toHaveProperty('PATH');
  });

  it('names every bad key in one error', () => {
    let error: unknown;
    try {
      loadEnv(ExampleEnv, { PORT: 'eighty', LOG_LEVEL: 'loud', ROUTE_PREFIX: 'task/' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems;
    expect(problems.map((p) => p.key).sort()).toEqual([
      'AUTH_ISSUER',
      'AUTH_JWKS_URL',
      'LOG_LEVEL',
      'PORT',
      'REDIS_URL',
      'ROUTE_PREFIX',
    ]);
    expect((error as Error).message).toContain(
      'REDIS_URL is required when REDIS_MODE=standalone, e.g. redis://127.0.0.1:6379',
    );
    expect((error as Error).message).toContain('PORT must be an integer');
  });
});

describe(describeEnv.name, () => {
  it('lists every key with its default, whether it is required, and its meaning', () => {
    const keys = describeEnv(ExampleEnv);
    expect(keys.map((k) => k.key).sort()).toEqual([
      'AUTH_ADMIN_GROUP',
      'AUTH_ALGORITHMS',
      'AUTH_AUDIENCE',
      'AUTH_GROUPS_CLAIM',
      'AUTH_ISSUER',
      'AUTH_JWKS_URL',
      'AUTH_JWT_SECRET',
      'AUTH_MAX_TOKEN_AGE',
      'AUTH_TEAMS_CLAIM',
      'BODY_LIMIT_BYTES',
      'HOST',
      'LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS',
      'LOAD_SHED_MAX_HEAP_PERCENT',
      'LOG_LEVEL',
      'NODE_ENV',
      'PORT',
      'RATE_LIMIT_ENABLED',
      'RATE_LIMIT_KEY_PREFIX',
      'RATE_LIMIT_MUTATIONS',
      'RATE_LIMIT_READS',
      'RATE_LIMIT_STREAM_OPENS',
      'RATE_LIMIT_STREAM_TICKETS',
      'RATE_LIMIT_WINDOW_SECONDS',
      'REDIS_CLUSTER_NODES',
      'REDIS_MODE',
      'REDIS_PASSWORD',
      'REDIS_SENTINELS',
      'REDIS_SENTINEL_MASTER',
      'REDIS_SENTINEL_PASSWORD',
      'REDIS_SENTINEL_TLS',
      'REDIS_TLS',
      'REDIS_URL',
      'REDIS_USERNAME',
      'REQUEST_TIMEOUT_MS',
      'ROUTE_PREFIX',
      'SHUTDOWN_DRAIN_MS',
      'SHUTDOWN_TIMEOUT_MS',
      'SSE_ACCESS_RECHECK_MS',
      'SSE_HEARTBEAT_MS',
      'STREAMS_PER_USER',
      'TRUSTED_PROXIES',
    ]);
    // Required in one Redis mode only, which a yes/no cannot say: loadEnv enforces it.
    expect(keys.find((k) => k.key === 'REDIS_URL')).toMatchObject({ required: false });
    expect(keys.find((k) => k.key === 'REDIS_MODE')).toMatchObject({ default: 'standalone' });
    expect(keys.find((k) => k.key === 'PORT')).toMatchObject({ required: false, default: 3001 });
    expect(keys.every((k) => k.description.length > 10)).toBe(true);
  });
});
