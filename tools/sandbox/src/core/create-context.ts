import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SandboxRegistry } from '../registry/sandbox-registry';
import { EventRecorder } from './event-recorder';
import { FaultInjector } from './faults';
import { ObjectStore } from './object-store';
import { PodLogStore } from './pod-log-store';
import type { SandboxConfig, SandboxContext } from './sandbox-context';
import { SimClock } from './sim-clock';

export const DEFAULT_CONFIG: Omit<SandboxConfig, 'dataDir'> = {
  host: '127.0.0.1',
  keepaliveMs: 15_000,
  argoNamespace: 'argo',
  argocdNamespace: 'argocd',
  argoToken: 'sandbox-argo-token',
  argocdUsername: 'admin',
  argocdPassword: 'sandbox',
  argocdServices: { username: 'platform-api', password: 'sandbox-platform-api' },
  argocdWorkflows: { username: 'platform-workflows', password: 'sandbox-platform-workflows' },
  registryHost: 'registry.sandbox.local',
  registryAuth: 'harbor',
  // Harbor's documented default admin password (harbor.yml `harbor_admin_password`).
  registryAdminPassword: 'Harbor12345',
  gitUsername: 'sandbox',
  gitPassword: 'sandbox-git-password',
  gitTemplatesOrg: 'platform-templates',
};

/** A fresh context: empty stores, a temporary data dir unless one is given, speed 1. */
export function createContext(
  overrides: Partial<SandboxConfig> = {},
  speed = 1,
  historyLimit?: number,
): SandboxContext {
  const config: SandboxConfig = {
    ...DEFAULT_CONFIG,
    dataDir: overrides.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'platform-sandbox-')),
    ...overrides,
  };
  const store = new ObjectStore({ historyLimit });
  return {
    config,
    urls: { kube: '', argo: '', argocd: '', git: '', admin: '', registry: '' },
    store,
    clock: new SimClock(speed),
    logs: new PodLogStore(),
    events: new EventRecorder(store),
    faults: new FaultInjector(),
    registry: new SandboxRegistry(
      config.registryHost,
      config.dataDir,
      config.registryAuth,
      config.registryAdminPassword,
    ),
  };
}
