import { createGateway, readIngressRoutes } from '@platform/gateway';
import {
  argoUpstreamEnv,
  PLATFORM_GIT_LOGIN as GIT_LOGIN,
  registryUpstreamEnv,
  startPlatformSandbox,
  type Sandbox,
} from '@platform/sandbox';
import {
  freePort,
  signTestToken,
  spawnService,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  TEST_REDIS_URL,
  waitForStatus,
  type ServiceProcess,
} from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export type ServiceName = 'task' | 'monitoring' | 'summary';

/** The whole platform as a portal reaches it: the sandbox, the three services (real processes) and the gateway. */
export interface RunningPlatform {
  /** The gateway: one base URL routed like the Ingress. */
  baseUrl: string;
  sandbox: Sandbox;
  services: Record<ServiceName, { url: string; process: ServiceProcess }>;
  /** alice is in team payments, bob in content; root is a platform admin. */
  tokens: { alice: string; bob: string; root: string };
  stop(): Promise<void>;
}

/** A service's built entry point, as its Dockerfile runs it. */
function mainOf(pkg: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'main.js');
}

/**
 * Starts the platform against a fresh sandbox: the services from their built `dist/main.js` with
 * the environment their Deployments get, the summary service with a Redis key prefix of its own.
 */
export async function startPlatform(): Promise<RunningPlatform> {
  const sandbox = await startPlatformSandbox(path.join(ROOT, 'deploy'));
  const summaryPrefix = `{client-test-${randomBytes(4).toString('hex')}}:`;
  const { urls } = sandbox;
  const upstreams = {
    ...TEST_AUTH_ENV,
    ...TEST_LIMITS_ENV,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...argoUpstreamEnv(sandbox),
  };
  const envs: Record<ServiceName, Record<string, string>> = {
    task: {
      ...upstreams,
      REDIS_URL: TEST_REDIS_URL,
      GIT_SERVER_URL: urls.git,
      GIT_TOKEN: GIT_LOGIN.token,
      ...registryUpstreamEnv(sandbox),
      TEMPLATES_CATALOG_FILE: path.join(ROOT, 'deploy', 'templates', 'catalog.yaml'),
    },
    monitoring: { ...upstreams, KUBECONFIG: sandbox.kubeconfigPath },
    summary: {
      ...upstreams,
      REDIS_URL: TEST_REDIS_URL,
      KUBECONFIG: sandbox.kubeconfigPath,
      SUMMARY_KEY_PREFIX: summaryPrefix,
      LEADER_ELECTION_NAMESPACE: 'default',
      SUMMARY_FLUSH_MS: '20',
    },
  };
  const services = {} as RunningPlatform['services'];
  let gateway: Awaited<ReturnType<typeof createGateway>> | undefined;
  const stop = async (): Promise<void> => {
    await gateway?.close();
    await Promise.all(
      Object.values(services).map(async ({ process }) => {
        if (process.child.exitCode === null) process.child.kill('SIGTERM');
        await process.exited;
      }),
    );
    await sandbox.stop();
    await deletePrefix(summaryPrefix);
  };
  try {
    await Promise.all(
      (Object.keys(envs) as ServiceName[]).map(async (name) => {
        const port = await freePort();
        const process = spawnService(mainOf(`@platform/${name}`), { ...envs[name], PORT: String(port) });
        const url = `http://127.0.0.1:${port}`;
        services[name] = { url, process };
        await waitForStatus(`${url}/healthz/ready`, 200, 60_000).catch((error: Error) => {
          throw new Error(
            `${name} did not get ready: ${error.message}\n${process.stderr()}${process.stdout()}`,
          );
        });
      }),
    );
    gateway = await createGateway({
      routes: readIngressRoutes(path.join(ROOT, 'deploy', 'base', 'ingress.yaml')),
      backends: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.url])),
    });
    const baseUrl = await gateway.listen({ port: 0, host: '127.0.0.1' });
    return {
      baseUrl,
      sandbox,
      services,
      tokens: {
        alice: await signTestToken({ sub: 'alice', teams: ['payments'] }),
        bob: await signTestToken({ sub: 'bob', teams: ['content'] }),
        root: await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] }),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Deletes the summary keys of this run (SCAN, never FLUSH: the Redis is shared). */
async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
