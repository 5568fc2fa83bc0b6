import {
  argoCdSettings,
  argoWorkflowsSettings,
  kubernetesSettings,
  loadEnv,
  redisSettings,
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
import fs from 'node:fs';
import os from 'node:os';
import { SummaryEnv } from './summary-env';

export const SERVICE_NAME = 'summary';

export interface UpstreamsConfig {
  argo: ArgoWorkflowsSettings;
  argocd: ArgoCdSettings;
  kube: KubernetesSettings;
  timeouts: UpstreamTimeouts;
}

export interface CollectorConfig {
  enabled: boolean;
  flushMs: number;
  lease: { namespace: string; name: string; identity: string; durationMs: number };
}

export interface SummarySettings {
  runtime: RuntimeConfig;
  /**
   * `changesMaxLen`: about how many changes the `changes` stream keeps for resuming clients;
   * `sharedParts`: whether the leader writes a one-environment app's parts once (stored-record.ts).
   */
  redis: { connection: RedisSettings; keyPrefix: string; changesMaxLen: number; sharedParts: boolean };
  staleAfterMs: number;
  upstreams: UpstreamsConfig;
  collector: CollectorConfig;
}

/** The summary service's typed config, read once at start (the class is its DI token). */
export class SummaryConfig extends SettingsClass<SummarySettings>() {}

export function loadSummaryConfig(env: Readonly<Record<string, string | undefined>>): SummaryConfig {
  const parsed = loadEnv(SummaryEnv, env);
  return new SummaryConfig({
    runtime: toRuntimeConfig(SERVICE_NAME, parsed),
    redis: {
      connection: redisSettings(parsed),
      keyPrefix: parsed.SUMMARY_KEY_PREFIX,
      changesMaxLen: parsed.SUMMARY_CHANGES_MAXLEN,
      sharedParts: parsed.SUMMARY_SHARED_PARTS,
    },
    staleAfterMs: parsed.SUMMARY_STALE_AFTER_MS,
    upstreams: {
      argo: argoWorkflowsSettings(parsed),
      argocd: argoCdSettings(parsed),
      kube: kubernetesSettings(parsed),
      timeouts: upstreamTimeouts(parsed),
    },
    collector: {
      enabled: parsed.SUMMARY_COLLECT,
      flushMs: parsed.SUMMARY_FLUSH_MS,
      lease: {
        namespace: parsed.LEADER_ELECTION_NAMESPACE ?? podNamespace() ?? 'default',
        name: parsed.LEADER_ELECTION_LEASE,
        identity: parsed.POD_NAME ?? os.hostname(),
        durationMs: parsed.LEADER_ELECTION_LEASE_SECONDS * 1000,
      },
    },
  });
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The pod's namespace, as Kubernetes mounts it with the service account token. */
function podNamespace(): string | undefined {
  try {
    return fs.readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
