import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { describeEnv, type EnvKeyDescription, type ServiceEnv } from '@platform/service-runtime';
import { Writable } from 'node:stream';
import { loadMonitoringConfig } from '../../apps/monitoring/src/config/monitoring-config';
import { MonitoringEnv } from '../../apps/monitoring/src/config/monitoring-env';
import { createMonitoringApp } from '../../apps/monitoring/src/create-app';
import { loadSummaryConfig } from '../../apps/summary/src/config/summary-config';
import { SummaryEnv } from '../../apps/summary/src/config/summary-env';
import { createSummaryApp } from '../../apps/summary/src/create-app';
import { loadTaskConfig } from '../../apps/task/src/config/task-config';
import { TaskEnv } from '../../apps/task/src/config/task-env';
import { createTaskApp } from '../../apps/task/src/create-app';

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** One of the apps the manifests deploy, with what the checks need to know of it. */
export interface PlatformService {
  /** The Deployment, Service, ServiceAccount and container name, and the apps/ folder. */
  name: string;
  schema: new () => ServiceEnv;
  /** The app as it would start from `env`, built but not listening; its logs go to `logs` (default: nowhere). */
  create(env: EnvSource, logs?: NodeJS.WritableStream): Promise<NestFastifyApplication>;
}

export const SERVICES: readonly PlatformService[] = [
  {
    name: 'task',
    schema: TaskEnv,
    create: (env, logs) => createTaskApp(loadTaskConfig(env), to(logs)),
  },
  {
    name: 'monitoring',
    schema: MonitoringEnv,
    create: (env, logs) => createMonitoringApp(loadMonitoringConfig(env), to(logs)),
  },
  {
    name: 'summary',
    schema: SummaryEnv,
    create: (env, logs) => createSummaryApp(loadSummaryConfig(env), to(logs)),
  },
];

/** The keys the service's env schema knows, with required/default. */
export function envKeys(service: PlatformService): EnvKeyDescription[] {
  return describeEnv(service.schema);
}

/** The schema's defaults (PORT, ROUTE_PREFIX, shutdown timings...). */
export function envDefaults(service: PlatformService): ServiceEnv {
  return new service.schema();
}

/** Where the apps' logs go: a test's recorder, or nowhere when only status codes matter. */
function to(logs: NodeJS.WritableStream | undefined): { logDestination: NodeJS.WritableStream } {
  return { logDestination: logs ?? new Writable({ write: (_chunk, _encoding, done) => done() }) };
}
