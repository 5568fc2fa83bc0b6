import {
  argoCdSettings,
  argoWorkflowsSettings,
  kubernetesSettings,
  loadEnv,
  optionalRedisSettings,
  RuntimeConfig,
  toRuntimeConfig,
  upstreamTimeouts,
  type ArgoCdSettings,
  type ArgoWorkflowsSettings,
  type KubernetesSettings,
  type RedisSettings,
  type UpstreamTimeouts,
} from '@platform/service-runtime';
import { MonitoringEnv } from './monitoring-env';

export const SERVICE_NAME = 'monitoring';

export interface StreamSettings {
  retryMs: number;
  graceMs: number;
  pollHoldMs: number;
  replayEvents: number;
  clientBufferBytes: number;
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
    readonly kube: KubernetesSettings,
    readonly upstreamTimeouts: UpstreamTimeouts,
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
    kubernetesSettings(parsed),
    upstreamTimeouts(parsed),
    {
      retryMs: parsed.STREAM_RETRY_MS,
      graceMs: parsed.STREAM_GRACE_MS,
      pollHoldMs: parsed.STREAM_POLL_HOLD_MS,
      replayEvents: parsed.STREAM_REPLAY_EVENTS,
      clientBufferBytes: parsed.STREAM_CLIENT_BUFFER_BYTES,
      eventsRelistIntervalMs: parsed.EVENTS_RELIST_INTERVAL_MS,
      topicsPerUser: parsed.STREAM_TOPICS_PER_USER,
      ticketSecret: parsed.STREAM_TICKET_SECRET,
    },
    optionalRedisSettings(parsed),
  );
}
