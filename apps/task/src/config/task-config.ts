import { loadEnv, RuntimeConfig, toRuntimeConfig } from '@platform/service-runtime';
import { TaskEnv } from './task-env';

export const SERVICE_NAME = 'task';

/** The task service's typed config, read once at start (the class is its DI token). */
export class TaskConfig {
  constructor(
    readonly runtime: RuntimeConfig,
    readonly redis: { url: string },
  ) {}
}

export function loadTaskConfig(env: Readonly<Record<string, string | undefined>>): TaskConfig {
  const parsed = loadEnv(TaskEnv, env);
  return new TaskConfig(toRuntimeConfig(SERVICE_NAME, parsed), { url: parsed.REDIS_URL });
}
