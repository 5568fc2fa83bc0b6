import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEPLOY_DIR } from '../deploy/rendered';

/** How a service's pod is stopped in a cluster, as deploy/base says. */
export interface DeployGrace {
  /** The service's settings for it (its ConfigMap): SHUTDOWN_DRAIN_MS, SHUTDOWN_TIMEOUT_MS. */
  env: Record<string, string>;
  /** The kubelet's SIGKILL comes this long after SIGTERM (plus a preStop hook's time, if any). */
  gracePeriodMs: number;
  /** Whether the container has a preStop hook (it runs before SIGTERM, within the grace period). */
  preStop: boolean;
}

interface Manifest {
  data?: Record<string, string>;
  spec?: {
    template?: {
      spec?: {
        terminationGracePeriodSeconds?: number;
        containers?: Array<{ lifecycle?: { preStop?: unknown } }>;
      };
    };
  };
}

function manifest(service: string, file: string): Manifest {
  return YAML.parse(readFileSync(path.join(DEPLOY_DIR, 'base', service, file), 'utf8')) as Manifest;
}

/** The shutdown settings and grace period deploy/base gives `service`. */
export function deployGrace(service: 'task' | 'monitoring' | 'summary'): DeployGrace {
  const data = manifest(service, 'configmap.yaml').data ?? {};
  const pod = manifest(service, 'deployment.yaml').spec?.template?.spec ?? {};
  const env: Record<string, string> = {};
  for (const key of ['SHUTDOWN_DRAIN_MS', 'SHUTDOWN_TIMEOUT_MS']) {
    const value = data[key];
    if (value === undefined) throw new Error(`deploy/base/${service}/configmap.yaml has no ${key}`);
    env[key] = value;
  }
  // Kubernetes' default when the pod does not say.
  const seconds = pod.terminationGracePeriodSeconds ?? 30;
  return {
    env,
    gracePeriodMs: seconds * 1000,
    preStop: (pod.containers ?? []).some((c) => c.lifecycle?.preStop !== undefined),
  };
}
