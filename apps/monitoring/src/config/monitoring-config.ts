import {
  argoCdSettings,
  argoWorkflowsSettings,
  loadEnv,
  optionalRedisSettings,
  RuntimeConfig,
  toRuntimeConfig,
  type ArgoCdSettings,
  type ArgoWorkflowsSettings,
  type RedisSettings,
} from '@platform/service-runtime';
import { MonitoringEnv } from './monitoring-env';

export const SERVICE_NAME = 'monitoring';

export interface StreamSettings {
  retryMs: number;
  graceMs: number;
  pollHoldMs: number;
  replayEvents: number;
  clientBufferBytes: number;
  upstreamIdleTimeoutMs: number;
  eventsRelistIntervalMs: number;
  /** Distinct topics one user may watch at once (on this replica). */
  topicsPerUser: number;
  /** Seals stream tickets; undefined: a random key per process. */
  ticketSecret?: string;
}

/** The monitoring service's typed config, read once at start (the class is its DI token). */
export class MonitoringConfig {
  constructor(
    readonly runtime: RuntimeConfig,
    readonly argo: ArgoWorkflowsSettings,
    readonly argocd: ArgoCdSettings,
    readonly kube: { kubeconfigPath?: string },
    readonly streams: StreamSettings,
    /** Where the replicas count their rate limits together; undefined: each counts alone. */
    readonly redis?: RedisSettings,
  ) {}
}

export function loadMonitoringConfig(env: Readonly<Record<string, string | undefined>>): MonitoringConfig {
  const parsed = loadEnv(MonitoringEnv, env);
  return new MonitoringConfig(
    toRuntimeConfig(SERVICE_NAME, parsed),
    argoWorkflowsSettings(parsed),
    argoCdSettings(parsed),
    { kubeconfigPath: parsed.KUBECONFIG },
    {
      retryMs: parsed.STREAM_RETRY_MS,
      graceMs: parsed.STREAM_GRACE_MS,
      pollHoldMs: parsed.STREAM_POLL_HOLD_MS,
      replayEvents: parsed.STREAM_REPLAY_EVENTS,
      clientBufferBytes: parsed.STREAM_CLIENT_BUFFER_BYTES,
      upstreamIdleTimeoutMs: parsed.UPSTREAM_IDLE_TIMEOUT_MS,
      eventsRelistIntervalMs: parsed.EVENTS_RELIST_INTERVAL_MS,
      topicsPerUser: parsed.STREAM_TOPICS_PER_USER,
      ticketSecret: parsed.STREAM_TICKET_SECRET,
    },
    optionalRedisSettings(parsed),
  );
}
