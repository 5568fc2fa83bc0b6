import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  argoUpstreamEnv,
  Kinds,
  registryUpstreamEnv,
  seedApps,
  type Sandbox,
  type SandboxOptions,
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
import { recordPlatformSecrets, runSecretsOptions } from '../secrets/platform-secrets';
import { RunRecord } from '../secrets/run-record';
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
  /** Where the run's logs, bodies and secrets are recorded for the secrets scan. */
  record: RunRecord;
  stop(): Promise<void>;
}

export interface MatrixPlatformOptions {
  /** The recording's name in the secrets scan. */
  suite: string;
  sandbox?: SandboxOptions;
  /** More environment for every service (e.g. higher limits). */
  env?: Record<string, string>;
}

/**
 * Starts the platform with its passwords and tokens new for this run, every service logging at
 * info into the run's recording (with the sandbox's console and its pods' logs), and every secret
 * it uses noted there: the teardown's secrets scan reads it all.
 */
export async function startMatrixPlatform(options: MatrixPlatformOptions): Promise<MatrixPlatform> {
  const record = RunRecord.open(options.suite);
  const sandbox = await startPlatformSandbox({ ...runSecretsOptions(), ...options.sandbox });
  const untap = sandbox.ctx.logs.tap((container, line) => record.line(`pod ${container}`, line.text));
  const idp = await IdentityProvider.start();
  const summaryPrefix = `{authz-matrix-${randomBytes(4).toString('hex')}}:`;
  const apps: NestFastifyApplication[] = [];
  const envs = {} as Record<ServiceName, Record<string, string>>;
  const stop = async (): Promise<void> => {
    try {
      for (const app of apps) await app.close();
      await idp.stop();
      recordPlatformSecrets(record, sandbox, envs);
      for (const part of await idp.privateKeyParts()) record.secret(part.label, part.value);
      idp.issued.forEach((token, i) => record.secret(`issued token ${i + 1}`, token));
      untap();
      await sandbox.stop();
      await deleteKeys(summaryPrefix);
    } finally {
      await record.close();
    }
  };
  try {
    await seedApps(sandbox.ctx, { apps: 1, teams: [APP_TEAM], workflowsPerApp: 1 });
    const common = {
      AUTH_JWKS_URL: idp.jwksUrl,
      AUTH_ISSUER: ISSUER,
      LOG_LEVEL: 'info',
      ...TEST_LIMITS_ENV,
      ...argoUpstreamEnv(sandbox),
      ...options.env,
    };
    Object.assign(envs, {
      task: {
        ...common,
        REDIS_URL: TEST_REDIS_URL,
        GIT_SERVER_URL: sandbox.urls.git,
        GIT_USERNAME: sandbox.ctx.config.gitUsername,
        GIT_TOKEN: sandbox.ctx.config.gitToken ?? '',
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
        // A 2 s lease was lost now and then on a loaded 2-core machine, and the summary stopped collecting.
        LEADER_ELECTION_LEASE_SECONDS: '10',
        SUMMARY_FLUSH_MS: '20',
      },
    });
    const base = {} as Record<ServiceName, string>;
    for (const service of SERVICES) {
      const name = service.name as ServiceName;
      const app = await service.create(envs[name], record.logs(name));
      apps.push(app);
      base[name] = await listenOnRandomPort(app);
    }
    const [task] = sandbox.ctx.store.list(Kinds.Workflow).items;
    if (task === undefined) throw new Error('the seed made no workflow');
    holdAppBusy(sandbox);
    // The summary collector has folded the app once an admin can read it.
    const admin = `Bearer ${await idp.sign({ sub: 'root', groups: ['platform-admins'] })}`;
    await waitUntil(async () => {
      const res = await fetch(`${base.summary}/summary/v1/apps/${APP}`, {
        headers: { authorization: admin },
      });
      if (res.status !== 200) throw new Error(`summary answers ${res.status} for ${APP}`);
    }, 30_000);
    return { sandbox, idp, base, taskId: task.metadata.name ?? '', record, stop };
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

/**
 * A task of the app that never ends (it waits at a suspend step): retiring the app is then
 * refused with 409 APP_BUSY to those allowed to try, whatever else the matrix started, so the
 * matrix checks who gets that far without retiring the app the other rules use.
 */
function holdAppBusy(sandbox: Sandbox): void {
  sandbox.ctx.store.create(Kinds.Workflow, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: `${APP}-cd-held`,
      namespace: sandbox.ctx.config.argoNamespace,
      labels: {
        'platform-api/app': APP,
        'platform-api/team': APP_TEAM,
        'platform-api/task-type': 'cd',
      },
    },
    spec: { entrypoint: 'wait', templates: [{ name: 'wait', suspend: {} }] },
  });
}
