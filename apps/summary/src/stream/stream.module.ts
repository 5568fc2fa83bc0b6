import { Module } from '@nestjs/common';
import type { RedisClient } from '@platform/service-runtime';
import { Redis } from 'ioredis';
import { SummaryConfig } from '../config/summary-config';
import { StoreModule } from '../store/store.module';
import { SourcesCache } from '../store/sources-cache';
import { SummaryKeys } from '../store/summary-keys';
import { SummaryChangeFeed } from './change-feed';
import { StreamCatchUp } from './stream-catch-up';
import { StreamController } from './stream.controller';
import { StreamService } from './stream.service';

/**
 * AppSummary changes as a resumable Server-Sent Event stream, read from the Redis stream the
 * write scripts append to, so that any replica serves (and resumes) it.
 */
@Module({
  imports: [StoreModule],
  controllers: [StreamController],
  providers: [
    StreamService,
    StreamCatchUp,
    {
      provide: SummaryChangeFeed,
      inject: [SummaryConfig, Redis, SummaryKeys, SourcesCache],
      useFactory: (config: SummaryConfig, redis: RedisClient, keys: SummaryKeys, sources: SourcesCache) =>
        new SummaryChangeFeed(config.redis.connection, redis, keys, sources),
    },
  ],
})
export class StreamModule {}
