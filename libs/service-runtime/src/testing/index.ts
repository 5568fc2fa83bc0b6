export { LogCapture } from './log-capture';
export { listenOnRandomPort } from './listen';
export { openSse, type RawSseResponse } from './sse-client';
export { spawnService, freePort, waitForStatus, type ServiceProcess } from './service-process';
export {
  describeServiceContract,
  TEST_REDIS_URL,
  DEAD_REDIS_URL,
  type ServiceContract,
} from './service-contract';
export {
  signTestToken,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  TEST_ISSUER,
  TEST_JWT_SECRET,
  type TestClaims,
} from './test-token';
export { startRedisSentinelSetup, type RedisSentinelSetup } from './redis-sentinel-setup';
export { startRedisClusterSetup, type RedisClusterSetup } from './redis-cluster-setup';
export { redisCommand } from './redis-server-process';
export { waitUntil } from './wait-until';
export { upstreamCallCounts } from './upstream-metrics';
