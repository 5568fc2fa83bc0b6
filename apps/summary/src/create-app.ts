import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@platform/service-runtime';
import { AppModule, type AppModuleOptions } from './app.module';
import type { SummaryConfig } from './config/summary-config';

/** The summary service's application, built but not listening (tests drive it directly). */
export function createSummaryApp(
  config: SummaryConfig,
  options?: AppModuleOptions,
): Promise<NestFastifyApplication> {
  return createServiceApp(AppModule.forRoot(config, options), config.runtime, {
    title: 'Platform API — summary service',
    description:
      'The app list (build, deploy, sync, health per app) served from Redis, kept fresh by leader-elected collectors.',
    version: '1',
  });
}
