import { Module } from '@nestjs/common';
import type { RedisClient } from '@platform/service-runtime';
import { Redis } from 'ioredis';
import { SummaryConfig } from '../config/summary-config';
import { scripted } from './scripted-redis';
import { SourcesCache } from './sources-cache';
import { SummaryKeys } from './summary-keys';
import { SummaryReader } from './summary-reader';
import { SummaryWriter } from './summary-writer';

/** The Redis model: keys, the reader every replica uses and the leader's writer. */
@Module({
  providers: [
    SourcesCache,
    {
      provide: SummaryKeys,
      inject: [SummaryConfig],
      useFactory: (c: SummaryConfig) => new SummaryKeys(c.redis.keyPrefix),
    },
    {
      provide: SummaryReader,
      inject: [Redis, SummaryKeys, SummaryConfig],
      useFactory: (redis: RedisClient, keys: SummaryKeys, c: SummaryConfig) =>
        new SummaryReader(scripted(redis), keys, c.staleAfterMs),
    },
    {
      provide: SummaryWriter,
      inject: [Redis, SummaryKeys, SummaryConfig],
      useFactory: (redis: RedisClient, keys: SummaryKeys, c: SummaryConfig) =>
        new SummaryWriter(scripted(redis), keys, c.redis.changesMaxLen, { sharedParts: c.redis.sharedParts }),
    },
  ],
  exports: [SummaryKeys, SummaryReader, SummaryWriter, SourcesCache],
})
export class StoreModule {}
