import { loadEnv, RuntimeConfig, toRuntimeConfig } from '@platform/service-runtime';
import { MonitoringEnv } from './monitoring-env';

export const SERVICE_NAME = 'monitoring';

/** The monitoring service's typed config, read once at start (the class is its DI token). */
export class MonitoringConfig {
  constructor(readonly runtime: RuntimeConfig) {}
}

export function loadMonitoringConfig(env: Readonly<Record<string, string | undefined>>): MonitoringConfig {
  const parsed = loadEnv(MonitoringEnv, env);
  return new MonitoringConfig(toRuntimeConfig(SERVICE_NAME, parsed));
}
