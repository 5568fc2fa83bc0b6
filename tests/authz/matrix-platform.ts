import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  argoUpstreamEnv,
  Kinds,
  PLATFORM_GIT_LOGIN,
  registryUpstreamEnv,
  seedApps,
  type Sandbox,
} from '@platform/sandbox';
import {
  listenOnRandomPort,
  TEST_LIMITS_ENV,
  TEST_REDIS_URL,
  waitUntil,
} from '@platform/service-runtime/testing';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import { SERVICES } from '../deploy/services';
import { ROOT, startPlatformSandbox } from '../argo/platform-sandbox';
import { APP_TEAM } from './cases';
import { IdentityProvider, ISSUER } from './identity-provider';
import { APP, type ServiceName } from './rules';

/** The three services against one sandbox, verifying tokens against a JWKS as in production. */
export interface MatrixPlatform {
  sandbox: Sandbox;
  idp: IdentityProvider;
  base: Record<ServiceName, string>;
  /** A finished task (ci workflow) of the app's team. */
  taskId: string;
  stop(): Promise<void>;
}

export async function startMatrixPlatform(): Promise<MatrixPlatform> {
  const sandbox = await startPlatformSandbox();
  const idp = await IdentityProvider.start();
  const summaryPrefix = `{authz-matrix-${randomBytes(4).toString('hex')}}:`;
  const apps: NestFastifyApplication[] = [];
  const stop = async (): Promise<void> => {
    for (const app of apps) await app.close();
    await idp.stop();
    await sandbox.stop();
    await deleteKeys(summaryPrefix);
  };
  try {
    await seedApps(sandbox.ctx, { apps: 1, teams: [APP_TEAM], workflowsPerApp: 1 });
    const common = {
      AUTH_JWKS_URL: idp.jwksUrl,
      AUTH_ISSUER: ISSUER,
      LOG_LEVEL: 'silent',
      ...TEST_LIMITS_ENV,
      ...argoUpstreamEnv(sandbox),
    };
    const envs: Record<ServiceName, Record<string, string>> = {
      task: {
        ...common,
        REDIS_URL: TEST_REDIS_URL,
        GIT_SERVER_URL: sandbox.urls.git,
        GIT_USERNAME: PLATFORM_GIT_LOGIN.username,
        GIT_TOKEN: PLATFORM_GIT_LOGIN.token,
        // The registry answers whether a tag was built, asked as the platform's read-only robot.
        ...registryUpstreamEnv(sandbox),
        TEMPLATES_CATALOG_FILE: path.join(ROOT, 'deploy', 'templates', 'catalog.yaml'),
      },
      monitoring: { ...common, KUBECONFIG: sandbox.kubeconfigPath },
      summary: {
        ...common,
        REDIS_URL: TEST_REDIS_URL,
        KUBECONFIG: sandbox.kubeconfigPath,
        SUMMARY_KEY_PREFIX: summaryPrefix,
        LEADER_ELECTION_NAMESPACE: 'default',
        LEADER_ELECTION_LEASE_SECONDS: '2',
        SUMMARY_FLUSH_MS: '20',
      },
    };
    const base = {} as Record<ServiceName, string>;
    for (const service of SERVICES) {
      const name = service.name as ServiceName;
      const app = await service.create(envs[name]);
      apps.push(app);
      base[name] = await listenOnRandomPort(app);
    }
    const [task] = sandbox.ctx.store.list(Kinds.Workflow).items;
    if (task === undefined) throw new Error('the seed made no workflow');
    // The summary collector has folded the app once an admin can read it.
    const admin = `Bearer ${await idp.sign({ sub: 'root', groups: ['platform-admins'] })}`;
    await waitUntil(async () => {
      const res = await fetch(`${base.summary}/summary/v1/apps/${APP}`, {
        headers: { authorization: admin },
      });
      if (res.status !== 200) throw new Error(`summary answers ${res.status} for ${APP}`);
    }, 30_000);
    return { sandbox, idp, base, taskId: task.metadata.name ?? '', stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Deletes this run's summary keys (SCAN, never FLUSH: the Redis is shared). */
async function deleteKeys(prefix: string): Promise<void> {
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
