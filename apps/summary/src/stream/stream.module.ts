import { Module } from '@nestjs/common';
import { SummaryConfig } from '../config/summary-config';
import { StoreModule } from '../store/store.module';
import { SummaryKeys } from '../store/summary-keys';
import { SummaryReader } from '../store/summary-reader';
import { StreamController } from './stream.controller';
import { SummaryChanges } from './summary-changes';

/** AppSummary changes as a Server-Sent Event stream, from Redis pub/sub so any replica serves it. */
@Module({
  imports: [StoreModule],
  controllers: [StreamController],
  providers: [
    {
      provide: SummaryChanges,
      inject: [SummaryConfig, SummaryKeys, SummaryReader],
      useFactory: (config: SummaryConfig, keys: SummaryKeys, reader: SummaryReader) =>
        new SummaryChanges(config.redis.url, keys, reader, config.staleAfterMs),
    },
  ],
})
export class StreamModule {}
