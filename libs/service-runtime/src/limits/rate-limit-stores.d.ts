// The stores @fastify/rate-limit ships (CommonJS, without typings of their own). Only what
// shared-counts.ts uses is declared.
declare module '@fastify/rate-limit/store/RedisStore' {
  import type { FastifyRateLimitStore } from '@fastify/rate-limit';
  import type { Cluster, Redis } from 'ioredis';

  const RedisStore: new (
    continueExceeding: boolean,
    exponentialBackoff: boolean,
    redis: Redis | Cluster,
    keyPrefix: string,
  ) => FastifyRateLimitStore;
  export = RedisStore;
}

declare module '@fastify/rate-limit/store/LocalStore' {
  import type { FastifyRateLimitStore } from '@fastify/rate-limit';

  const LocalStore: new (
    continueExceeding: boolean,
    exponentialBackoff: boolean,
    cacheSize?: number,
  ) => FastifyRateLimitStore;
  export = LocalStore;
}
