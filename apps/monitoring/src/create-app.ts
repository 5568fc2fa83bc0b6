import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@platform/service-runtime';
import { AppModule, type AppModuleOptions } from './app.module';
import type { MonitoringConfig } from './config/monitoring-config';

/** The monitoring service's application, built but not listening (tests drive it directly). */
export function createMonitoringApp(
  config: MonitoringConfig,
  options?: AppModuleOptions,
): Promise<NestFastifyApplication> {
  return createServiceApp(AppModule.forRoot(config, options), config.runtime, {
    title: 'Platform API — monitoring service',
    description:
      'Live Server-Sent Event streams: task progress, Argo CD sync and health, merged pod logs, Kubernetes events.',
    version: '1',
  });
}
