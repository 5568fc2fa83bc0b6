import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Redis } from 'ioredis';
import { createRedisClient } from './redis-client';
import { RedisReadiness } from './redis-readiness';

/** Provides one shared ioredis client (token: the `Redis` class) and its readiness check. */
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  static forRoot(options: { url: string; connectionName: string }): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        { provide: Redis, useFactory: () => createRedisClient(options.url, options.connectionName) },
        RedisReadiness,
      ],
      exports: [Redis, RedisReadiness],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const redis = this.moduleRef.get(Redis, { strict: false });
    // QUIT lets pending replies arrive and leaves no reconnect timer behind; when Redis is away
    // there is nothing to wait for.
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  }
}
