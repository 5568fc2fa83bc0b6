import { loadEnv, RuntimeConfig, toRuntimeConfig } from '@platform/service-runtime';
import { TaskEnv } from './task-env';

export const SERVICE_NAME = 'task';

export interface ArgoConnection {
  url: string;
  namespace: string;
  token?: string;
  tokenFile?: string;
  insecureSkipTlsVerify: boolean;
}

/** The task service's typed config, read once at start (the class is its DI token). */
export class TaskConfig {
  constructor(
    readonly runtime: RuntimeConfig,
    readonly redis: { url: string },
    readonly argo: ArgoConnection,
  ) {}
}

export function loadTaskConfig(env: Readonly<Record<string, string | undefined>>): TaskConfig {
  const parsed = loadEnv(TaskEnv, env);
  return new TaskConfig(
    toRuntimeConfig(SERVICE_NAME, parsed),
    { url: parsed.REDIS_URL },
    {
      url: parsed.ARGO_SERVER_URL,
      namespace: parsed.ARGO_NAMESPACE,
      token: parsed.ARGO_TOKEN,
      tokenFile: parsed.ARGO_TOKEN_FILE,
      insecureSkipTlsVerify: parsed.ARGO_INSECURE_SKIP_TLS_VERIFY,
    },
  );
}
