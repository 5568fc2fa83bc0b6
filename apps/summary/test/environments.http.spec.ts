import type { AppPage, AppSummary, SummaryStats } from '@platform/domain';
import { Kinds, seedApps, startSandbox, type Sandbox } from '@platform/sandbox';
import { signTestToken, TEST_REDIS_URL } from '@platform/service-runtime/testing';
import {
  deletePrefix,
  getJson,
  sandboxEnv,
  startReplica,
  testPrefix,
  until,
  type Replica,
} from './support/summary-harness';

/**
 * Apps with one Argo CD Application per environment, through a collecting replica over the
 * sandbox: app-00001 and app-00003 are seeded in dev and prod (`<app>-<env>` in
 * `payments-<env>`), app-00002 and app-00004 in dev only. Each app is one row listing its
 * environments; `?environment=` lists that environment's apps by its own state.
 */
describe('summary API: apps in several environments (sandbox)', () => {
  const prefix = testPrefix();
  let sandbox: Sandbox;
  let replica: Replica;
  let admin: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 10 });
    await seedApps(sandbox.ctx, { apps: 4, teams: ['payments'], podsPerApp: 1, prodEvery: 2 });
    replica = await startReplica(sandboxEnv(sandbox, { SUMMARY_KEY_PREFIX: prefix, POD_NAME: 'env-1' }));
    admin = await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] });
    await until(async () => expect((await list('')).items).toHaveLength(4));
  }, 60_000);
  afterAll(async () => {
    await replica.close();
    await sandbox.stop();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  async function list(query: string): Promise<AppPage> {
    const res = await getJson<AppPage>(`${replica.base}/summary/v1/apps?${query}`, admin);
    expect(res.status).toBe(200);
    return res.body;
  }
  const names = async (query: string): Promise<string[]> => (await list(query)).items.map((a) => a.app);
  /** The environment parameter of a workflow, as the sandbox holds it. */
  const environmentOf = (workflow: string): string | undefined => {
    const found = sandbox.ctx.store.get(Kinds.Workflow, sandbox.ctx.config.argoNamespace, workflow);
    const spec = found?.spec as { arguments?: { parameters?: Array<{ name: string; value?: string }> } };
    return spec.arguments?.parameters?.find((p) => p.name === 'environment')?.value;
  };

  it('lists an app with dev and prod Applications once, with both environments', async () => {
    const res = await getJson<AppSummary>(`${replica.base}/summary/v1/apps/app-00001`, admin);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.environments ?? {})).toEqual(['dev', 'prod']);
    expect(res.body.environments?.dev).toMatchObject({
      application: 'app-00001-dev',
      namespace: 'payments-dev',
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      pods: { ready: 1, total: 1 },
      rollout: { desired: 1, ready: 1 },
      deploy: { phase: 'Succeeded' },
    });
    expect(res.body.environments?.prod).toMatchObject({
      application: 'app-00001-prod',
      namespace: 'payments-prod',
      pods: { ready: 1, total: 1 },
    });
    // Each environment's deploy is the cd that named it; the app's is the latest cd of all.
    for (const environment of ['dev', 'prod']) {
      const taskId = res.body.environments?.[environment]?.deploy?.taskId ?? '';
      expect(environmentOf(taskId)).toBe(environment);
    }
    expect([
      res.body.environments?.dev?.deploy?.taskId,
      res.body.environments?.prod?.deploy?.taskId,
    ]).toContain(res.body.deploy?.taskId);
    expect(res.body.pods).toEqual({ ready: 2, total: 2, restarts: 0 });
    expect(await names('')).toEqual(['app-00001', 'app-00002', 'app-00003', 'app-00004']);
    expect(Object.keys((await list('q=app-00002')).items[0]?.environments ?? {})).toEqual(['dev']);
  });

  it('lists only the apps of an environment, by its own health and activity', async () => {
    expect(await names('environment=prod')).toEqual(['app-00001', 'app-00003']);
    expect(await names('environment=dev')).toEqual(['app-00001', 'app-00002', 'app-00003', 'app-00004']);
    expect(await names('environment=staging')).toEqual([]);
    // Crash app-00003 in prod only: prod turns Degraded, dev stays Healthy.
    const crashed = await fetch(`${sandbox.urls.admin}/admin/apps/payments-prod/app-00003/crash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ crash: true }),
    });
    expect(crashed.status).toBe(200);
    // Progressing while its new pods crash-loop, Degraded once the rollout's deadline passes.
    const health = await until(async () => {
      const app = (await list('q=app-00003')).items[0];
      expect(app?.environments?.prod?.health.status).not.toBe('Healthy');
      expect(app?.health.status).toBe(app?.environments?.prod?.health.status);
      return app?.environments?.prod?.health.status ?? '';
    });
    expect(await names(`environment=prod&health=${health}`)).toEqual(['app-00003']);
    expect(await names(`environment=dev&health=${health}`)).toEqual([]);
    expect(await names('environment=dev&health=Healthy')).toContain('app-00003');
    expect(await names(`health=${health}`)).toEqual(['app-00003']);
    expect(await names('environment=prod&health=Healthy')).toEqual(['app-00001']);
    // Newest first by the environment's activity: the same two apps, in that environment's order.
    expect((await names('environment=prod&sort=activity')).sort()).toEqual(['app-00001', 'app-00003']);
  }, 30_000);

  it('counts each environment in the stats', async () => {
    await until(async () => {
      const health = (await list('q=app-00003')).items[0]?.environments?.prod?.health.status ?? '';
      const res = await getJson<SummaryStats>(`${replica.base}/summary/v1/stats`, admin);
      expect(res.status).toBe(200);
      expect(res.body.total.apps).toBe(4);
      expect(res.body.environments).toEqual({
        dev: { apps: 4, health: { Healthy: 4 }, sync: { Synced: 4 }, deploy: { Succeeded: 4 } },
        prod: {
          apps: 2,
          health: { Healthy: 1, [health]: 1 },
          sync: { Synced: 2 },
          deploy: { Succeeded: 2 },
        },
      });
    });
  });

  it('refuses a malformed environment, saying what to fix', async () => {
    const res = await getJson(`${replica.base}/summary/v1/apps?environment=PROD`, admin);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(
      'environment must be an environment name (a DNS-1123 label, e.g. prod)',
    );
  });
});
