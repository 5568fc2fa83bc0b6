import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@platform/service-runtime';
import { AppModule, type AppModuleOptions } from './app.module';
import type { TaskConfig } from './config/task-config';

/** The task service's application, built but not listening (tests drive it directly). */
export function createTaskApp(
  config: TaskConfig,
  options?: AppModuleOptions,
): Promise<NestFastifyApplication> {
  return createServiceApp(AppModule.forRoot(config, options), config.runtime, {
    title: 'Platform API — task service',
    description: 'Create apps from templates, build and deploy them; every task is an Argo Workflow.',
    version: '1',
  });
}
