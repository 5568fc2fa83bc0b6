import { Module, type DynamicModule } from '@nestjs/common';
import { RedisModule, RedisReadiness, RedisStreamTickets, RuntimeModule } from '@platform/service-runtime';
import { AppsModule } from './apps/apps.module';
import { CollectorsModule } from './collectors/collectors.module';
import { SummaryConfig } from './config/summary-config';
import { StatsModule } from './stats/stats.module';
import { StreamModule } from './stream/stream.module';

export interface AppModuleOptions {
  logDestination?: NodeJS.WritableStream;
}

@Module({})
export class AppModule {
  static forRoot(config: SummaryConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        RedisModule.forRoot({
          settings: config.redis.connection,
          connectionName: config.runtime.serviceName,
        }),
        RuntimeModule.forRoot({
          config: config.runtime,
          readiness: [RedisReadiness],
          logDestination: options.logDestination,
          streamTickets: RedisStreamTickets,
        }),
        CollectorsModule.forConfig(config),
        AppsModule,
        StatsModule,
        StreamModule,
      ],
      providers: [{ provide: SummaryConfig, useValue: config }],
      exports: [SummaryConfig],
    };
  }
}
