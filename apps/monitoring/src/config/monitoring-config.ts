import { loadEnv, RuntimeConfig, toRuntimeConfig } from '@platform/service-runtime';
import { MonitoringEnv } from './monitoring-env';

export const SERVICE_NAME = 'monitoring';

export interface UpstreamConnection {
  url: string;
  insecureSkipTlsVerify: boolean;
}

export interface StreamSettings {
  retryMs: number;
  graceMs: number;
  replayEvents: number;
  clientBufferBytes: number;
  upstreamIdleTimeoutMs: number;
}

/** The monitoring service's typed config, read once at start (the class is its DI token). */
export class MonitoringConfig {
  constructor(
    readonly runtime: RuntimeConfig,
    readonly argo: UpstreamConnection & { namespace: string; token?: string; tokenFile?: string },
    readonly argocd: UpstreamConnection & { token?: string; username: string; password?: string },
    readonly kube: { kubeconfigPath?: string },
    readonly streams: StreamSettings,
  ) {}
}

export function loadMonitoringConfig(env: Readonly<Record<string, string | undefined>>): MonitoringConfig {
  const parsed = loadEnv(MonitoringEnv, env);
  return new MonitoringConfig(
    toRuntimeConfig(SERVICE_NAME, parsed),
    {
      url: parsed.ARGO_SERVER_URL,
      namespace: parsed.ARGO_NAMESPACE,
      token: parsed.ARGO_TOKEN,
      tokenFile: parsed.ARGO_TOKEN_FILE,
      insecureSkipTlsVerify: parsed.ARGO_INSECURE_SKIP_TLS_VERIFY,
    },
    {
      url: parsed.ARGOCD_SERVER_URL,
      token: parsed.ARGOCD_TOKEN,
      username: parsed.ARGOCD_USERNAME,
      password: parsed.ARGOCD_PASSWORD,
      insecureSkipTlsVerify: parsed.ARGOCD_INSECURE_SKIP_TLS_VERIFY,
    },
    { kubeconfigPath: parsed.KUBECONFIG },
    {
      retryMs: parsed.STREAM_RETRY_MS,
      graceMs: parsed.STREAM_GRACE_MS,
      replayEvents: parsed.STREAM_REPLAY_EVENTS,
      clientBufferBytes: parsed.STREAM_CLIENT_BUFFER_BYTES,
      upstreamIdleTimeoutMs: parsed.UPSTREAM_IDLE_TIMEOUT_MS,
    },
  );
}
