import { Module, type DynamicModule } from '@nestjs/common';
import { RedisModule, RedisReadiness, RedisStreamTickets, RuntimeModule } from '@platform/service-runtime';
import { AppsModule } from './apps/apps.module';
import { TaskConfig } from './config/task-config';
import { TasksModule } from './tasks/tasks.module';
import { TemplatesModule } from './templates/templates.module';
import { TASK_UPSTREAM_READINESS } from './upstreams/upstream-readiness';
import { UpstreamsModule } from './upstreams/upstreams.module';

export interface AppModuleOptions {
  logDestination?: NodeJS.WritableStream;
}

@Module({})
export class AppModule {
  static forRoot(config: TaskConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        RedisModule.forRoot({ settings: config.redis, connectionName: config.runtime.serviceName }),
        RuntimeModule.forRoot({
          config: config.runtime,
          readiness: [RedisReadiness, ...TASK_UPSTREAM_READINESS],
          logDestination: options.logDestination,
          streamTickets: RedisStreamTickets,
        }),
        UpstreamsModule,
        TemplatesModule,
        AppsModule,
        TasksModule,
      ],
      providers: [{ provide: TaskConfig, useValue: config }],
      exports: [TaskConfig],
    };
  }
}
