import { ApplicationController } from '../../src/argo-cd/controller/application-controller';
import type { ApplicationObject } from '../../src/argo-cd/shared/app-types';
import { createContext } from '../../src/core/create-context';
import { LabelSelector } from '../../src/core/label-selector';
import { Kinds } from '../../src/core/resource-kinds';
import { seedApps } from '../../src/platform/seed/seed-apps';
import { seedFigures } from '../../src/platform/seed/seed-figures';
import { DeploymentController } from '../../src/kubernetes/controllers/deployment-controller';
import type { DeploymentObject, PodObject } from '../../src/kubernetes/controllers/workload-types';
import { waitFor } from '../workloads/wait-for';

describe(seedApps.name, () => {
  it('writes every object of every app, with the platform labels', async () => {
    const ctx = createContext();
    const result = await seedApps(ctx, {
      apps: 300,
      teams: ['blue', 'green', 'red'],
      podsPerApp: 2,
      workflowsPerApp: 2,
    });
    // Each team onboarded (its dev and prod namespaces and AppProject), then 12 objects per app,
    // and 10 more for each of the 75 apps (every 4th) also in prod: a cd promoting the last image,
    // the Application, the chart's objects, the ReplicaSet, 2 pods, 2 Events.
    expect(result).toMatchObject({ apps: 300, objects: 3 * 3 + 300 * 12 + 75 * 10 });
    expect(ctx.store.count(Kinds.Namespace)).toBe(6);
    expect(ctx.store.count(Kinds.AppProject)).toBe(3);
    expect(ctx.store.count(Kinds.Application)).toBe(375);
    expect(ctx.store.count(Kinds.Deployment)).toBe(375);
    expect(ctx.store.count(Kinds.ReplicaSet)).toBe(375);
    expect(ctx.store.count(Kinds.Service)).toBe(375);
    expect(ctx.store.count(Kinds.ServiceAccount)).toBe(375);
    expect(ctx.store.count(Kinds.Pod)).toBe(750);
    expect(ctx.store.count(Kinds.Workflow)).toBe(675);
    expect(ctx.store.count(Kinds.Event)).toBe(1050);
    expect(ctx.registry.list()).toHaveLength(300);

    // One Application per app and environment, named and labelled for it.
    const app = ctx.store.get(Kinds.Application, 'argocd', 'app-00002-dev') as ApplicationObject;
    expect(ctx.store.get(Kinds.Application, 'argocd', 'app-00002-prod')).toBeUndefined();
    expect(app.metadata.labels).toEqual({
      'platform-api/app': 'app-00002',
      'platform-api/team': 'green',
      'platform-api/template': 'go-service',
      'platform-api/environment': 'dev',
    });
    expect(app.status).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      operationState: { phase: 'Succeeded' },
      summary: {
        images: [expect.stringMatching(/^registry\.sandbox\.local\/green\/app-00002:[0-9a-f]{7}$/)],
      },
    });
    // In its team's project, which admits its repository and namespace, as create-app leaves it.
    expect(app.spec).toMatchObject({
      project: 'green',
      destination: { namespace: 'green-dev' },
      source: { helm: { valueFiles: ['values.yaml', 'values-dev.yaml'] } },
    });
    expect(ctx.store.get(Kinds.AppProject, 'argocd', 'green')?.spec).toMatchObject({
      sourceRepos: ['http://git.sandbox.local/green/*'],
      destinations: [
        { server: 'https://kubernetes.default.svc', namespace: 'green-dev' },
        { server: 'https://kubernetes.default.svc', namespace: 'green-prod' },
      ],
      clusterResourceWhitelist: [],
    });
    expect(app.status?.history).toHaveLength(1);
    const image = app.status?.summary?.images?.[0] ?? '';
    expect(ctx.registry.find(image)).toBeDefined();

    const deployment = ctx.store.get(Kinds.Deployment, 'green-dev', 'app-00002') as DeploymentObject;
    expect(deployment.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
    });
    const pods = ctx.store.list(Kinds.Pod, {
      namespace: 'green-dev',
      labelSelector: LabelSelector.parse('app.kubernetes.io/instance=app-00002-dev'),
    }).items as PodObject[];
    expect(pods.map((p) => p.status?.phase)).toEqual(['Running', 'Running']);
    expect(ctx.logs.lines('green-dev', pods[0]?.metadata.name ?? '', 'app-00002')).toHaveLength(2);
    // What the app's chart renders carries the platform labels, pods included; Argo CD adds none.
    for (const object of [deployment, ...pods]) {
      expect(object.metadata.labels).toMatchObject({
        'platform-api/app': 'app-00002',
        'platform-api/team': 'green',
        'platform-api/template': 'go-service',
      });
    }

    const workflows = ctx.store.list(Kinds.Workflow, {
      labelSelector: LabelSelector.parse('platform-api/app=app-00002'),
    }).items;
    const byType = Object.fromEntries(
      workflows.map((w) => [w.metadata.labels?.['platform-api/task-type'], w]),
    );
    expect(byType.ci?.metadata.labels).toMatchObject({
      'workflows.argoproj.io/phase': 'Succeeded',
      'workflows.argoproj.io/completed': 'true',
      'workflows.argoproj.io/workflow-template': 'ci',
      'platform-api/team': 'green',
      'platform-api/requested-by': expect.stringMatching(/^dev-/),
    });
    const outputs = (byType.ci?.status as { outputs: { parameters: Array<{ name: string; value: string }> } })
      .outputs.parameters;
    expect(Object.fromEntries(outputs.map((p) => [p.name, p.value]))).toEqual({
      image,
      digest: ctx.registry.find(image)?.digest,
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect((byType.cd?.status as { phase: string }).phase).toBe('Succeeded');
    // The cd outputs under the global names of deploy/argo/cd.yaml, which the Task mapping reads.
    const application = ctx.store.get(Kinds.Application, 'argocd', 'app-00002-dev');
    const cdOutputs = (
      byType.cd?.status as { outputs: { parameters: Array<{ name: string; value: string }> } }
    ).outputs.parameters;
    expect(Object.fromEntries(cdOutputs.map((p) => [p.name, p.value]))).toEqual({
      'manifests-commit': (application?.status as { sync: { revision: string } }).sync.revision,
      'synced-revision': (application?.status as { sync: { revision: string } }).sync.revision,
      image,
      environment: 'dev',
      health: 'Healthy',
    });

    // Every 4th app is in prod too: its own Application, workload and a cd that deployed it there.
    const prod = ctx.store.get(Kinds.Application, 'argocd', 'app-00001-prod') as ApplicationObject;
    expect(prod.metadata.labels).toMatchObject({
      'platform-api/app': 'app-00001',
      'platform-api/environment': 'prod',
    });
    expect(prod.spec.destination).toMatchObject({ namespace: 'blue-prod' });
    expect(ctx.store.get(Kinds.Deployment, 'blue-prod', 'app-00001')).toBeDefined();
    const deploys = ctx.store.list(Kinds.Workflow, {
      labelSelector: LabelSelector.parse('platform-api/app=app-00001,platform-api/task-type=cd'),
    }).items;
    expect(
      deploys
        .map(
          (w) =>
            (
              w.spec as { arguments: { parameters: Array<{ name: string; value: string }> } }
            ).arguments.parameters.find((p) => p.name === 'environment')?.value,
        )
        .sort(),
    ).toEqual(['dev', 'prod']);
  });

  it('continues numbering on a second seed and keeps resourceVersions monotonic', async () => {
    const ctx = createContext();
    await seedApps(ctx, { apps: 5, teams: 2 });
    const before = Number(ctx.store.resourceVersion);
    await seedApps(ctx, { apps: 5, teams: 2 });
    // app-00001, app-00005, app-00006 and app-00010 (every 4th of each seed) also in prod.
    expect(ctx.store.count(Kinds.Application)).toBe(14);
    expect(ctx.store.get(Kinds.Application, 'argocd', 'app-00010-dev')).toBeDefined();
    expect(ctx.store.get(Kinds.Application, 'argocd', 'app-00010-prod')).toBeDefined();
    const seconds = ctx.store.list(Kinds.Application).items.slice(7);
    for (const app of seconds) expect(Number(app.metadata.resourceVersion)).toBeGreaterThan(before);
  });

  it('leaves the controllers nothing to change, and they keep watching seeded apps', async () => {
    const ctx = createContext({}, 500);
    const changes: string[] = [];
    await seedApps(ctx, { apps: 20, teams: 2 });
    const from = ctx.store.resourceVersion;
    for (const kind of [Kinds.Application, Kinds.Deployment, Kinds.ReplicaSet, Kinds.Pod]) {
      ctx.store.watch(kind, { resourceVersion: from }, (e) =>
        changes.push(`${e.type} ${e.object.kind ?? ''} ${e.object.metadata.name ?? ''}`),
      );
    }
    const deployments = new DeploymentController(ctx);
    const apps = new ApplicationController(ctx);
    deployments.start();
    apps.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(changes).toEqual([]);
      // Seeded apps have no git behind them: reconciling them never starts Helm.
      expect(apps.repoServer.helm.runs).toBe(0);
      // A crash knob on a seeded app rolls its Deployment and turns the app Degraded.
      ctx.store.mutate(Kinds.Deployment, 'team-01-dev', 'app-00001', (d) => {
        (d as DeploymentObject).spec.progressDeadlineSeconds = 10;
        (d as DeploymentObject).spec.template.metadata = {
          ...(d as DeploymentObject).spec.template.metadata,
          annotations: { 'sandbox.platform-api/crash': 'true' },
        };
      });
      await waitFor(
        'Degraded',
        () =>
          (ctx.store.get(Kinds.Application, 'argocd', 'app-00001-dev') as ApplicationObject).status?.health
            ?.status === 'Degraded',
      );
    } finally {
      apps.stop();
      deployments.stop();
      ctx.clock.cancelAll();
    }
  });

  it('syncs seeded apps without git: Succeeded, one more history entry', async () => {
    const ctx = createContext({}, 500);
    await seedApps(ctx, { apps: 3, teams: 1 });
    const apps = new ApplicationController(ctx, { syncDurationMs: 100 });
    apps.start();
    try {
      ctx.store.mutate(Kinds.Application, 'argocd', 'app-00002-dev', (a) => {
        (a as ApplicationObject).operation = {
          sync: { revision: 'HEAD' },
          initiatedBy: { username: 'bench' },
        };
      });
      const done = await waitFor('Succeeded', () => {
        const a = ctx.store.get(Kinds.Application, 'argocd', 'app-00002-dev') as ApplicationObject;
        return a.operation === undefined && a.status?.history?.length === 2 && a;
      });
      expect(done.status?.operationState).toMatchObject({
        phase: 'Succeeded',
        syncResult: {
          revision: 'HEAD',
          resources: [
            { kind: 'Service', message: 'service/app-00002 unchanged' },
            { kind: 'ServiceAccount', message: 'serviceaccount/app-00002 unchanged' },
            { kind: 'Deployment' },
          ],
        },
      });
      expect(done.status?.history?.[1]).toMatchObject({ id: 1, initiatedBy: { username: 'bench' } });
      expect(apps.repoServer.helm.runs).toBe(0);
      ctx.store.mutate(Kinds.Application, 'argocd', 'app-00003-dev', (a) => {
        a.metadata.annotations = { ...a.metadata.annotations, 'argocd.argoproj.io/refresh': 'normal' };
      });
      await waitFor('refresh served', () => {
        const a = ctx.store.get(Kinds.Application, 'argocd', 'app-00003-dev');
        return a?.metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined;
      });
    } finally {
      apps.stop();
      ctx.clock.cancelAll();
    }
  });

  it('prints its figures', async () => {
    const figures = await seedFigures(200, false);
    console.log(`seed figures (200 apps under jest): ${JSON.stringify(figures)}`);
    expect(figures.objects).toBe(10 * 3 + 200 * 12 + 50 * 10);
  });
});
