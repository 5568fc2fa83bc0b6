import {
  argoUpstreamEnv,
  registryUpstreamEnv,
  seedApps,
  type Sandbox,
  PLATFORM_GIT_LOGIN,
} from '@platform/sandbox';
import {
  freePort,
  spawnService,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  TEST_REDIS_URL,
  waitForStatus,
  type ServiceProcess,
} from '@platform/service-runtime/testing';
import path from 'node:path';
import { ROOT, startPlatformSandbox } from '../argo/platform-sandbox';
import { deployGrace } from './deploy-grace';

export const TEAM = 'payments';

/** A service started from its built main.js with deploy/base's shutdown settings. */
export interface RunningService {
  name: 'task' | 'monitoring';
  url: string;
  process: ServiceProcess;
}

export interface ShutdownPlatform {
  sandbox: Sandbox;
  task: RunningService;
  monitoring: RunningService;
  /** The seeded apps of {@link TEAM}. */
  apps: string[];
  stop(): Promise<void>;
}

/**
 * The sandbox in this process with `apps` seeded apps of one team, and the task and monitoring
 * services as real processes (so SIGTERM is a real signal) with the shutdown settings of their
 * ConfigMaps in deploy/base. Limits are the defaults but for load shedding (TEST_LIMITS_ENV: on
 * a shared 2-core machine a second of event-loop lag is the neighbours').
 */
export async function startShutdownPlatform(apps: number): Promise<ShutdownPlatform> {
  const sandbox = await startPlatformSandbox({ gitOrganizations: [TEAM] });
  const started: RunningService[] = [];
  const stop = async (): Promise<void> => {
    for (const service of started) service.process.child.kill('SIGKILL');
    await sandbox.stop();
  };
  try {
    await seedApps(sandbox.ctx, { apps, teams: [TEAM], workflowsPerApp: 0, podsPerApp: 1 });
    const common = {
      ...TEST_AUTH_ENV,
      ...TEST_LIMITS_ENV,
      ...argoUpstreamEnv(sandbox),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const task = await start('task', {
      ...common,
      REDIS_URL: TEST_REDIS_URL,
      GIT_SERVER_URL: sandbox.urls.git,
      GIT_TOKEN: PLATFORM_GIT_LOGIN.token,
      ...registryUpstreamEnv(sandbox),
      TEMPLATES_CATALOG_FILE: path.join(ROOT, 'deploy', 'templates', 'catalog.yaml'),
    });
    started.push(task);
    const monitoring = await start('monitoring', {
      ...common,
      REDIS_URL: TEST_REDIS_URL,
      KUBECONFIG: sandbox.kubeconfigPath,
    });
    started.push(monitoring);
    const names = Array.from({ length: apps }, (_, i) => `app-${String(i + 1).padStart(5, '0')}`);
    return { sandbox, task, monitoring, apps: names, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function start(name: 'task' | 'monitoring', env: Record<string, string>): Promise<RunningService> {
  const port = await freePort();
  const process = spawnService(path.join(ROOT, 'apps', name, 'dist', 'main.js'), {
    ...env,
    ...deployGrace(name).env,
    PORT: String(port),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForStatus(`${url}/healthz/ready`, 200, 30_000);
  } catch (error) {
    process.child.kill('SIGKILL');
    throw new Error(`${name} did not become ready: ${process.stderr()}${process.stdout()}`, { cause: error });
  }
  return { name, url, process };
}
