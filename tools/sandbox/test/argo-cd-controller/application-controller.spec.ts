import { ensureDefaultProject } from '../../src/argo-cd/shared/app-projects';
import { ApplicationController } from '../../src/argo-cd/controller/application-controller';
import type { KubeObject } from '../../src/core/kube-object';
import { Kinds } from '../../src/core/resource-kinds';
import type { DeploymentObject } from '../../src/kubernetes/controllers/workload-types';
import { waitFor } from '../workloads/wait-for';
import { chartFiles } from './chart-repo';
import { ARGOCD, useControllerHarness } from './controller-harness';

describe(ApplicationController.name, () => {
  const h = useControllerHarness();
  const { createApp, app, requestSync, refresh, pods, appEvents, synced } = h;

  it('compares with git first: OutOfSync and Missing, with the rendered resources listed', async () => {
    const sha = await h.repo.commit(chartFiles('nginx', '1.27'));
    createApp('web');
    const status = await waitFor(
      'a first comparison',
      () => app('web').status?.sync?.status !== undefined && app('web').status,
    );
    expect(status?.sync).toEqual({
      status: 'OutOfSync',
      comparedTo: { source: app('web').spec.source, destination: app('web').spec.destination },
      revision: sha,
    });
    expect(status?.health?.status).toBe('Missing');
    expect(status?.sourceType).toBe('Helm');
    expect(status?.resources).toEqual([
      {
        version: 'v1',
        kind: 'Service',
        namespace: 'web-dev',
        name: 'web',
        status: 'OutOfSync',
        health: { status: 'Missing' },
      },
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'web-dev',
        name: 'web',
        status: 'OutOfSync',
        health: { status: 'Missing' },
      },
    ]);
    expect(appEvents('web')).toEqual(
      expect.arrayContaining(['ResourceUpdated: Updated sync status:  -> OutOfSync']),
    );
  });

  it('syncs a chart into a Deployment and Service whose pods run, Progressing then Healthy, and stays quiet after', async () => {
    h.ctx.clock.speed = 50; // slow enough for the Progressing phase to be seen between sync and Ready
    const sha = await h.repo.commit(chartFiles('nginx', '1.27'));
    createApp('web');
    await waitFor('compared', () => app('web').status?.sync?.status === 'OutOfSync');
    requestSync('web');
    await waitFor('operation Running', () => app('web').status?.operationState?.phase === 'Running');
    const done = await synced('web', sha);
    const op = done.status?.operationState;
    expect(op).toMatchObject({
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      operation: { initiatedBy: { username: 'admin' } },
      syncResult: { revision: sha, source: done.spec.source },
    });
    expect(op?.syncResult?.resources?.map((r) => `${r.kind} ${r.status} ${r.message}`)).toEqual([
      'Namespace Synced namespace/web-dev created',
      'Service Synced service/web created',
      'Deployment Synced deployment.apps/web created',
    ]);
    expect(op?.syncResult?.resources?.[2]).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'web-dev',
      name: 'web',
      status: 'Synced',
      message: 'deployment.apps/web created',
      hookPhase: 'Running',
      syncPhase: 'Sync',
    });
    expect(done.status?.history).toEqual([
      expect.objectContaining({
        id: 0,
        revision: sha,
        source: done.spec.source,
        initiatedBy: { username: 'admin' },
      }),
    ]);
    // Exactly what the chart rendered: its own labels, none of the Application's (team-a, other).
    const deployment = h.ctx.store.get(Kinds.Deployment, 'web-dev', 'web') as DeploymentObject;
    expect(deployment.metadata.labels).toEqual({
      'helm.sh/chart': 'web-0.1.0',
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/version': '1.0',
      'app.kubernetes.io/managed-by': 'Helm',
      'platform-api/app': 'web',
      'platform-api/team': 'chart-team',
      'platform-api/template': 'chart-template',
    });
    expect(deployment.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(
      'web:apps/Deployment:web-dev/web',
    );
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({
      image: 'nginx:1.27',
      env: [{ name: 'LOG_LEVEL', value: 'info' }],
      ports: [{ containerPort: 8080 }],
    });
    expect(h.ctx.store.get(Kinds.Namespace, undefined, 'web-dev')).toBeDefined();
    expect((h.ctx.store.get(Kinds.Service, 'web-dev', 'web')?.spec as { ports: unknown[] }).ports).toEqual([
      { port: 80, targetPort: 8080, protocol: 'TCP', name: 'http' },
    ]);

    const healthy = await waitFor(
      'Healthy',
      () => app('web').status?.health?.status === 'Healthy' && app('web'),
    );
    expect(pods('web').filter((p) => p.status?.phase === 'Running')).toHaveLength(2);
    expect(h.healthSeen.get('web')).toEqual(['Missing', 'Progressing', 'Healthy']);
    expect(healthy.status?.summary).toEqual({ images: ['nginx:1.27'] });
    expect(
      healthy.status?.resources?.every((r) => r.status === 'Synced' && r.health?.status === 'Healthy'),
    ).toBe(true);
    expect(appEvents('web')).toEqual(
      expect.arrayContaining([
        `OperationCompleted: Sync operation to ${sha} succeeded`,
        'ResourceUpdated: Updated sync status: OutOfSync -> Synced',
        'ResourceUpdated: Updated health status: Progressing -> Healthy',
      ]),
    );

    const version = app('web').metadata.resourceVersion;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(app('web').metadata.resourceVersion).toBe(version);
  });

  it('goes OutOfSync after a new commit and Synced at the new revision after a sync, rolling the pods', async () => {
    const first = await h.repo.commit(chartFiles('nginx', '1.27'));
    createApp('web');
    await waitFor('compared', () => app('web').status?.sync?.status === 'OutOfSync');
    requestSync('web');
    await synced('web', first);
    await waitFor('Healthy', () => app('web').status?.health?.status === 'Healthy');
    const oldPods = pods('web').map((p) => p.metadata.name);

    const second = await h.repo.commit(chartFiles('nginx', '1.28'), 'bump');
    refresh('web');
    await waitFor(
      'OutOfSync at the new commit',
      () => app('web').status?.sync?.status === 'OutOfSync' && app('web').status?.sync?.revision === second,
    );
    expect(app('web').metadata.annotations?.['argocd.argoproj.io/refresh']).toBeUndefined();
    expect(app('web').status?.resources?.find((r) => r.kind === 'Deployment')?.status).toBe('OutOfSync');

    requestSync('web', 'main');
    const done = await synced('web', second);
    expect(done.status?.operationState?.syncResult?.resources?.map((r) => r.message)).toEqual([
      'service/web unchanged',
      'deployment.apps/web configured',
    ]);
    expect(done.status?.history?.map((h) => [h.id, h.revision])).toEqual([
      [0, first],
      [1, second],
    ]);
    await waitFor('new pods only, Healthy', () => {
      const live = pods('web');
      return (
        app('web').status?.health?.status === 'Healthy' &&
        live.length === 2 &&
        live.every((p) => p.spec.containers[0]?.image === 'nginx:1.28' && !oldPods.includes(p.metadata.name))
      );
    });
    expect(app('web').status?.summary?.images).toEqual(['nginx:1.28']);
  });

  it('resolves tags and short SHAs, and fails a sync to a revision git does not have with a ComparisonError', async () => {
    const sha = await h.repo.commit(chartFiles('nginx', '1.27'));
    await h.repo.tag('v1.0.0');
    createApp('web', {});
    requestSync('web', 'v1.0.0');
    await synced('web', sha);
    requestSync('web', sha.slice(0, 8));
    await waitFor(
      'synced to the short sha',
      () =>
        app('web').status?.operationState?.syncResult?.revision === sha && app('web').operation === undefined,
    );

    requestSync('web', 'no-such-branch');
    const failed = await waitFor(
      'operation Error',
      () => app('web').status?.operationState?.phase === 'Error' && app('web'),
    );
    expect(failed.status?.operationState?.message).toBe(
      "ComparisonError: Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = unable to resolve 'no-such-branch' to a commit SHA",
    );
    expect(failed.operation).toBeUndefined();
    expect(failed.status?.history).toHaveLength(2);
    expect(appEvents('web')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^OperationCompleted: Sync operation to {2}failed: ComparisonError: /),
      ]),
    );
  });

  it('reports a ComparisonError condition and Unknown sync when the target revision cannot be resolved', async () => {
    await h.repo.commit(chartFiles('nginx', '1.27'));
    createApp('web', { source: { repoURL: h.repo.bare, path: 'chart', targetRevision: 'nope' } });
    const status = await waitFor(
      'Unknown',
      () => app('web').status?.sync?.status === 'Unknown' && app('web').status,
    );
    expect(status?.conditions).toEqual([
      {
        type: 'ComparisonError',
        message:
          "Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = unable to resolve 'nope' to a commit SHA",
        lastTransitionTime: expect.any(String),
      },
    ]);
  });

  // Argo CD's health of a Deployment is gitops-engine's check of its status, the rules of
  // `kubectl rollout status`: pods are not managed resources, so a pod's back-off never makes the
  // app Degraded; the rollout's progress deadline does (argoproj/argo-cd#10259, #11473).
  it("goes Degraded only at the rollout's progress deadline when the image was never pushed (ImagePullBackOff)", async () => {
    const image = `${h.ctx.config.registryHost}/team-a/web`;
    const sha = await h.repo.commit(chartFiles(image, 'v1'));
    createApp('web');
    requestSync('web');
    await synced('web', sha);
    const stuck = await waitFor('ImagePullBackOff', () =>
      pods('web').find((p) => p.status?.containerStatuses?.[0]?.state.waiting?.reason === 'ImagePullBackOff'),
    );
    // 600 s of simulated time (the default progressDeadlineSeconds) without progress.
    const degraded = await waitFor(
      'Degraded',
      () => app('web').status?.health?.status === 'Degraded' && app('web'),
    );
    expect(degraded.status?.resources?.find((r) => r.kind === 'Deployment')?.health).toEqual({
      status: 'Degraded',
      message: 'Deployment "web" exceeded its progress deadline',
    });
    const podEvents = h.ctx.store
      .list(Kinds.Event, { namespace: 'web-dev' })
      .items.filter((e) => (e.involvedObject as { name: string }).name === stuck.metadata.name)
      .map((e) => `${String(e.type)} ${String(e.reason)}`);
    expect(podEvents).toEqual(expect.arrayContaining(['Warning Failed', 'Normal BackOff']));
    const seen = h.healthSeen.get('web') ?? [];
    expect(seen.indexOf('Progressing')).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf('Progressing')).toBeLessThan(seen.indexOf('Degraded'));
  });

  it('stays Progressing while the pods crash-loop, before the progress deadline', async () => {
    // The 600 s deadline is 15 s of real time, well after the five minutes waited below.
    h.ctx.clock.speed = 40;
    const sha = await h.repo.commit(
      chartFiles('nginx', '1.27', {
        'chart/values-dev.yaml': 'image:\n  tag: "1.27"\nenv:\n  SANDBOX_CRASH: "true"\n',
      }),
    );
    createApp('web');
    requestSync('web');
    await synced('web', sha);
    await waitFor('CrashLoopBackOff', () =>
      pods('web').some((p) => p.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff'),
    );
    // Five minutes of crash-looping, back-offs growing to 160 s, then the controller's view (every
    // pod change queues the app).
    await h.ctx.clock.sleep(300_000);
    const looked = await waitFor('a health write after the back-off', () => {
      const current = app('web');
      const deployment = current.status?.resources?.find((r) => r.kind === 'Deployment')?.health;
      return (
        deployment?.message?.startsWith('Waiting for rollout to finish: 0 of 2 updated replicas') === true &&
        current
      );
    });
    expect(looked.status?.health?.status).toBe('Progressing');
    expect(h.healthSeen.get('web')).not.toContain('Degraded');
  });

  it('syncs automatically when automated sync is on, pruning what left git', async () => {
    const first = await h.repo.commit(chartFiles('nginx', '1.27'));
    createApp('auto', { syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } });
    const done = await synced('auto', first);
    expect(done.status?.operationState?.operation).toEqual({
      initiatedBy: { automated: true },
      retry: { limit: 5 },
      sync: { revision: first, prune: true, syncOptions: ['CreateNamespace=true'] },
    });
    expect(appEvents('auto')).toEqual(
      expect.arrayContaining([`OperationStarted: Initiated automated sync to '${first}'`]),
    );
    // The next commit drops the Service (service.enabled: false): automated sync prunes it.
    const second = await h.repo.commit({
      'chart/values-dev.yaml': 'image:\n  tag: "1.27"\nservice:\n  enabled: false\n',
    });
    refresh('auto');
    const pruned = await synced('auto', second);
    expect(
      pruned.status?.operationState?.syncResult?.resources?.map((r) => `${r.kind} ${r.status} ${r.message}`),
    ).toEqual(['Deployment Synced deployment.apps/auto unchanged', 'Service Pruned pruned']);
    expect(h.ctx.store.get(Kinds.Service, 'auto-dev', 'auto')).toBeUndefined();
    expect(pruned.status?.history?.[1]).toMatchObject({ initiatedBy: { automated: true }, revision: second });
  });

  it('deletes the app resources before removing the resources finalizer', async () => {
    const sha = await h.repo.commit(chartFiles('nginx', '1.27'));
    createApp('web');
    requestSync('web');
    await synced('web', sha);
    await waitFor('pods', () => pods('web').length === 2);
    h.ctx.store.delete(Kinds.Application, ARGOCD, 'web');
    await waitFor('app gone', () => h.ctx.store.get(Kinds.Application, ARGOCD, 'web') === undefined);
    expect(h.ctx.store.get(Kinds.Deployment, 'web-dev', 'web')).toBeUndefined();
    expect(h.ctx.store.get(Kinds.Service, 'web-dev', 'web')).toBeUndefined();
    await waitFor('pods gone', () => pods('web').length === 0);
  });

  it('works again after a stop, a reset of the stores and a start (the admin reset)', async () => {
    const sha = await h.repo.commit(chartFiles('nginx', '1.27'));
    createApp('web');
    requestSync('web');
    await synced('web', sha);
    h.controller.stop();
    h.deployments.stop();
    h.ctx.clock.cancelAll();
    h.ctx.store.clear();
    // The reset seeds what the Argo CD server creates at start again.
    ensureDefaultProject(h.ctx);
    h.deployments.start();
    h.controller.start();
    createApp('again');
    requestSync('again');
    await synced('again', sha);
    await waitFor('Healthy after the restart', () => app('again').status?.health?.status === 'Healthy');
  });

  it('renders a plain directory of manifests as sourceType Directory', async () => {
    const manifest: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: { greeting: 'hello' },
    };
    const sha = await h.repo.commit({ 'plain/config.yaml': `# comment\n${JSON.stringify(manifest)}\n---\n` });
    createApp('plain', { source: { repoURL: h.repo.bare, path: 'plain', targetRevision: 'HEAD' } });
    requestSync('plain');
    const done = await synced('plain', sha);
    expect(done.status?.sourceType).toBe('Directory');
    expect(done.status?.health?.status).toBe('Healthy');
    expect(h.ctx.store.get(Kinds.ConfigMap, 'plain-dev', 'settings')?.data).toEqual({ greeting: 'hello' });
  });
});
