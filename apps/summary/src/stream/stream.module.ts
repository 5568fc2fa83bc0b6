import { Module } from '@nestjs/common';
import { SummaryConfig } from '../config/summary-config';
import { StoreModule } from '../store/store.module';
import { SummaryKeys } from '../store/summary-keys';
import { SourcesCache } from '../store/sources-cache';
import { StreamController } from './stream.controller';
import { SummaryChanges } from './summary-changes';

/** AppSummary changes as a Server-Sent Event stream, from Redis pub/sub so any replica serves it. */
@Module({
  imports: [StoreModule],
  controllers: [StreamController],
  providers: [
    {
      provide: SummaryChanges,
      inject: [SummaryConfig, SummaryKeys, SourcesCache],
      useFactory: (config: SummaryConfig, keys: SummaryKeys, sources: SourcesCache) =>
        new SummaryChanges(config.redis.connection, keys, sources),
    },
  ],
})
export class StreamModule {}
