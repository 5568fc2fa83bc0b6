import { loadEnv, RuntimeConfig, toRuntimeConfig } from '@platform/service-runtime';
import { SummaryEnv } from './summary-env';

export const SERVICE_NAME = 'summary';

/** The summary service's typed config, read once at start (the class is its DI token). */
export class SummaryConfig {
  constructor(
    readonly runtime: RuntimeConfig,
    readonly redis: { url: string },
  ) {}
}

export function loadSummaryConfig(env: Readonly<Record<string, string | undefined>>): SummaryConfig {
  const parsed = loadEnv(SummaryEnv, env);
  return new SummaryConfig(toRuntimeConfig(SERVICE_NAME, parsed), { url: parsed.REDIS_URL });
}
