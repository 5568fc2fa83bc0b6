import {
  argoCdSettings,
  argoWorkflowsSettings,
  kubernetesSettings,
  loadEnv,
  optionalRedisSettings,
  RuntimeConfig,
  SettingsClass,
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

export interface MonitoringSettings {
  runtime: RuntimeConfig;
  argo: ArgoWorkflowsSettings;
  argocd: ArgoCdSettings;
  kube: KubernetesSettings;
  upstreamTimeouts: UpstreamTimeouts;
  streams: StreamSettings;
  /** Where the replicas count their rate limits together; undefined: each counts alone. */
  redis?: RedisSettings;
}

/** The monitoring service's typed config, read once at start (the class is its DI token). */
export class MonitoringConfig extends SettingsClass<MonitoringSettings>() {}

export function loadMonitoringConfig(env: Readonly<Record<string, string | undefined>>): MonitoringConfig {
  const parsed = loadEnv(MonitoringEnv, env);
  return new MonitoringConfig({
    runtime: toRuntimeConfig(SERVICE_NAME, parsed),
    argo: argoWorkflowsSettings(parsed),
    argocd: argoCdSettings(parsed),
    kube: kubernetesSettings(parsed),
    upstreamTimeouts: upstreamTimeouts(parsed),
    streams: {
      retryMs: parsed.STREAM_RETRY_MS,
      graceMs: parsed.STREAM_GRACE_MS,
      pollHoldMs: parsed.STREAM_POLL_HOLD_MS,
      replayEvents: parsed.STREAM_REPLAY_EVENTS,
      clientBufferBytes: parsed.STREAM_CLIENT_BUFFER_BYTES,
      eventsRelistIntervalMs: parsed.EVENTS_RELIST_INTERVAL_MS,
      topicsPerUser: parsed.STREAM_TOPICS_PER_USER,
      ticketSecret: parsed.STREAM_TICKET_SECRET,
    },
    redis: optionalRedisSettings(parsed),
  });
}
