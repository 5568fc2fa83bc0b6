import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Redis } from 'ioredis';
import { closeRedisClient } from './redis-close';
import { createRedisClient, type RedisClient } from './redis-client';
import { RedisReadiness } from './redis-readiness';
import type { RedisSettings } from './redis-settings';

/**
 * Provides one shared client and its readiness check. The token stays the `Redis` class (what
 * services already inject); the value is a {@link RedisClient}, a Cluster in cluster mode, so
 * inject it as `@Inject(Redis) redis: RedisClient`.
 */
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  static forRoot(options: { settings: RedisSettings; connectionName: string }): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        {
          provide: Redis,
          useFactory: (): RedisClient => createRedisClient(options.settings, options.connectionName),
        },
        RedisReadiness,
      ],
      exports: [Redis, RedisReadiness],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.moduleRef.get<typeof Redis, RedisClient>(Redis, { strict: false }));
  }
}
