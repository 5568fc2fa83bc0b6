import { Module, type DynamicModule } from '@nestjs/common';
import { RedisModule, RuntimeModule, SealedStreamTickets } from '@platform/service-runtime';
import { AppStatusModule } from './app-status/app-status.module';
import { MonitoringConfig, SERVICE_NAME } from './config/monitoring-config';
import { EventsModule } from './events/events.module';
import { LogsModule } from './logs/logs.module';
import { MultiplexModule } from './multiplex/multiplex.module';
import { StreamsModule } from './streams/streams.module';
import { TaskStreamModule } from './task-stream/task-stream.module';
import { MONITORING_READINESS } from './upstreams/upstream-readiness';
import { UpstreamsModule } from './upstreams/upstreams.module';

export interface AppModuleOptions {
  logDestination?: NodeJS.WritableStream;
}

@Module({})
export class AppModule {
  static forRoot(config: MonitoringConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        // Only its rate limits live there, so it is not part of readiness: without Redis each
        // replica counts alone until it is back.
        ...(config.redis === undefined
          ? []
          : [RedisModule.forRoot({ settings: config.redis, connectionName: SERVICE_NAME })]),
        RuntimeModule.forRoot({
          config: config.runtime,
          readiness: MONITORING_READINESS,
          logDestination: options.logDestination,
          // Tickets carry the principal sealed with a key the replicas share (Redis is optional here).
          streamTickets: new SealedStreamTickets(config.streams.ticketSecret, SERVICE_NAME),
        }),
        UpstreamsModule,
        StreamsModule,
        TaskStreamModule,
        AppStatusModule,
        LogsModule,
        EventsModule,
        MultiplexModule,
      ],
      providers: [{ provide: MonitoringConfig, useValue: config }],
      exports: [MonitoringConfig],
    };
  }
}
