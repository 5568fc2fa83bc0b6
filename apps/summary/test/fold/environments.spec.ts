import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { Application, HealthStatusCode, SyncStatusCode, Workflow } from '@platform/argo-client';
import { applicationEnvironment } from '../../src/fold/from-application';
import { SummaryFolder } from '../../src/fold/summary-folder';

const labels = { 'platform-api/app': 'shop', 'platform-api/team': 'payments' };

/** The Application of one environment, as create-app and cd make them: `shop-<env>` in `payments-<env>`. */
function application(
  environment: string,
  status: { sync?: string; health?: string; images?: string[]; finishedAt?: string } = {},
  name = `shop-${environment}`,
): Application {
  return {
    metadata: { name, namespace: 'argocd', labels: { ...labels, 'platform-api/environment': environment } },
    spec: {
      source: { repoURL: 'http://git/payments/shop-manifests.git' },
      destination: { namespace: `payments-${environment}` },
    },
    status: {
      sync: { status: (status.sync ?? 'Synced') as SyncStatusCode, revision: `r-${environment}` },
      health: { status: (status.health ?? 'Healthy') as HealthStatusCode },
      summary: { images: status.images ?? [`reg/shop:${environment}`] },
      operationState:
        status.finishedAt === undefined
          ? undefined
          : { phase: 'Succeeded', startedAt: status.finishedAt, finishedAt: status.finishedAt },
    },
  };
}

/** An Application made before environments: named after the app, without the environment label. */
function olderApplication(valueFiles?: string[]): Application {
  return {
    metadata: { name: 'shop', namespace: 'argocd', labels },
    spec: {
      source: { repoURL: 'http://git/payments/shop-manifests.git', helm: { valueFiles } },
      destination: { namespace: 'payments' },
    },
    status: { sync: { status: 'Synced', revision: 'r0' }, health: { status: 'Healthy' } },
  };
}

function cd(name: string, createdAt: string, environment?: string, phase = 'Succeeded'): Workflow {
  return {
    metadata: { name, creationTimestamp: createdAt, labels: { ...labels, 'platform-api/task-type': 'cd' } },
    spec: {
      arguments: {
        parameters: [
          { name: 'app', value: 'shop' },
          { name: 'image', value: `reg/shop:${name}` },
          ...(environment === undefined ? [] : [{ name: 'environment', value: environment }]),
        ],
      },
    },
    status: { phase: phase as 'Succeeded', finishedAt: createdAt },
  };
}

function pod(name: string, namespace: string, ready = true, restarts = 0): V1Pod {
  return {
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app' }] },
    status: { containerStatuses: [{ name: 'app', ready, restartCount: restarts, image: 'x', imageID: '' }] },
  };
}

function deployment(namespace: string, replicas: number): V1Deployment {
  return {
    metadata: { name: 'shop', namespace, labels, generation: 1 },
    spec: { replicas, selector: {}, template: {} },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
    },
  };
}

describe(`${SummaryFolder.name}: one Application per environment`, () => {
  const now = '2026-11-26T10:00:00Z';
  let folder: SummaryFolder;
  beforeEach(() => {
    folder = new SummaryFolder(() => now);
  });

  it("keys the row by the app label and shows each environment with its own Application's view", () => {
    folder.applicationsSnapshot([
      application('dev', { finishedAt: '2026-11-26T08:00:00Z' }),
      application('prod', { health: 'Degraded', sync: 'OutOfSync', finishedAt: '2026-11-26T09:00:00Z' }),
    ]);
    folder.podsSnapshot([
      pod('shop-d-1', 'payments-dev'),
      pod('shop-p-1', 'payments-prod', false, 2),
      pod('shop-p-2', 'payments-prod'),
      // Labelled with the app, but in a namespace none of its Applications deploys to.
      pod('shop-x-1', 'payments-staging'),
    ]);
    folder.deploymentsSnapshot([deployment('payments-dev', 1), deployment('payments-prod', 2)]);
    const summary = folder.drain().get('shop');
    expect(Object.keys(summary?.environments ?? {})).toEqual(['dev', 'prod']);
    expect(summary?.environments?.dev).toMatchObject({
      application: 'shop-dev',
      namespace: 'payments-dev',
      sync: { status: 'Synced', revision: 'r-dev' },
      health: { status: 'Healthy' },
      images: ['reg/shop:dev'],
      pods: { ready: 1, total: 1, restarts: 0 },
      rollout: { desired: 1, ready: 1 },
      deploy: { taskId: null, phase: 'Succeeded', revision: 'r-dev', image: 'reg/shop:dev' },
      lastActivityAt: '2026-11-26T08:00:00Z',
    });
    expect(summary?.environments?.prod).toMatchObject({
      application: 'shop-prod',
      namespace: 'payments-prod',
      pods: { ready: 1, total: 2, restarts: 2 },
      rollout: { desired: 2, ready: 2 },
    });
    // The roll-up: the worst health and sync, pods and rollouts summed, images united, the latest.
    expect(summary).toMatchObject({
      app: 'shop',
      team: 'payments',
      health: { status: 'Degraded' },
      sync: { status: 'OutOfSync', revision: 'r-prod' },
      pods: { ready: 2, total: 3, restarts: 2 },
      rollout: { desired: 3, ready: 3 },
      images: ['reg/shop:dev', 'reg/shop:prod'],
      deploy: { taskId: null, revision: 'r-prod', finishedAt: '2026-11-26T09:00:00Z' },
      lastActivityAt: '2026-11-26T09:00:00Z',
    });
  });

  it("takes each environment's last deploy from the cd tasks with its environment parameter", () => {
    folder.applicationsSnapshot([application('dev'), application('prod')]);
    folder.workflowsSnapshot([
      cd('cd-1', '2026-11-26T08:00:00Z', 'dev'),
      cd('cd-2', '2026-11-26T08:30:00Z', 'prod', 'Failed'),
      cd('cd-3', '2026-11-26T09:00:00Z', 'dev'),
    ]);
    const summary = folder.drain().get('shop');
    expect(summary?.environments?.dev?.deploy).toMatchObject({ taskId: 'cd-3', revision: 'r-dev' });
    expect(summary?.environments?.prod?.deploy).toMatchObject({
      taskId: 'cd-2',
      phase: 'Failed',
      revision: 'r-prod',
    });
    expect(summary?.environments?.prod?.lastActivityAt).toBe('2026-11-26T08:30:00Z');
    expect(summary?.deploy).toMatchObject({ taskId: 'cd-3' });
    // A deploy to an environment without an Application yet still shows as the app's latest.
    folder.workflow('ADDED', cd('cd-4', '2026-11-26T09:30:00Z', 'staging', 'Failed'));
    const after = folder.drain().get('shop');
    expect(after?.deploy).toMatchObject({ taskId: 'cd-4', phase: 'Failed', revision: null });
    expect(Object.keys(after?.environments ?? {})).toEqual(['dev', 'prod']);
  });

  it('drops one environment when its Application is deleted, and the row with the last one', () => {
    folder.applicationsSnapshot([application('dev'), application('prod', { health: 'Degraded' })]);
    folder.podsSnapshot([pod('shop-d-1', 'payments-dev'), pod('shop-p-1', 'payments-prod')]);
    folder.drain();
    folder.application('DELETED', application('prod'));
    const summary = folder.drain().get('shop');
    expect(Object.keys(summary?.environments ?? {})).toEqual(['dev']);
    expect(summary).toMatchObject({ health: { status: 'Healthy' }, pods: { ready: 1, total: 1 } });
    // What is left in the environment's namespace no longer counts toward the app.
    folder.pod('MODIFIED', pod('shop-p-1', 'payments-prod', false, 5));
    expect(folder.drain().has('shop')).toBe(false);
    expect(folder.appCount).toBe(1);
    folder.application('DELETED', application('dev'));
    expect(folder.drain()).toEqual(new Map([['shop', undefined]]));
    expect(folder.has('shop')).toBe(false);
  });

  it('adds an environment when its Application appears, and sweeps one a new paged list lacks', () => {
    folder.applicationsSnapshot([application('dev')]);
    folder.drain();
    folder.application('ADDED', application('prod'));
    expect(Object.keys(folder.drain().get('shop')?.environments ?? {})).toEqual(['dev', 'prod']);
    // A relist in two pages: prod is on neither, dev on the second.
    folder.applicationsPage({ items: [], first: true, last: false });
    expect(folder.drain().size).toBe(0);
    folder.applicationsPage({ items: [application('dev')], first: false, last: true });
    expect(Object.keys(folder.drain().get('shop')?.environments ?? {})).toEqual(['dev']);
    folder.applicationsSnapshot([]);
    expect(folder.drain()).toEqual(new Map([['shop', undefined]]));
  });

  it('counts an older Application (no environment label) as the environment of its value file', () => {
    folder.applicationsSnapshot([olderApplication(['values.yaml', 'values-dev.yaml'])]);
    folder.podsSnapshot([pod('shop-1', 'payments')]);
    // Its cd tasks, with or without the environment parameter, are its deploys.
    folder.workflowsSnapshot([cd('cd-1', '2026-11-26T08:00:00Z'), cd('cd-2', '2026-11-26T09:00:00Z', 'dev')]);
    const summary = folder.drain().get('shop');
    expect(summary?.environments).toEqual({
      dev: expect.objectContaining({
        application: 'shop',
        namespace: 'payments',
        pods: { ready: 1, total: 1, restarts: 0 },
        deploy: expect.objectContaining({ taskId: 'cd-2' }) as unknown,
      }) as unknown,
    });
    // While it moves to shop-dev, both show as one environment: the new Application's.
    folder.application('ADDED', application('dev'));
    expect(folder.drain().get('shop')?.environments?.dev?.application).toBe('shop-dev');
    folder.application('DELETED', application('dev'));
    expect(folder.drain().get('shop')?.environments?.dev?.application).toBe('shop');
  });

  it.each([
    ['the environment label', application('qa'), 'qa'],
    ['its last values-<env>.yaml', olderApplication(['values.yaml', 'values-prod.yaml']), 'prod'],
    ['a values file in a folder', olderApplication(['envs/values-eu-1.yml']), 'eu-1'],
    ['no values file naming one', olderApplication(['values.yaml']), 'default'],
    ['no values files', olderApplication(), 'default'],
  ])('takes the environment from %s', (_name, item, environment) => {
    expect(applicationEnvironment(item)).toBe(environment);
  });

  it('takes every cd task of an older app whose Application names no environment at all', () => {
    folder.applicationsSnapshot([olderApplication()]);
    folder.workflowsSnapshot([cd('cd-1', '2026-11-26T08:00:00Z', 'dev')]);
    expect(folder.drain().get('shop')?.environments?.default?.deploy).toMatchObject({ taskId: 'cd-1' });
  });

  it.each([
    [['Healthy', 'Suspended'], 'Suspended'],
    [['Progressing', 'Suspended'], 'Progressing'],
    [['Progressing', 'Missing'], 'Missing'],
    [['Degraded', 'Missing'], 'Degraded'],
    [['Degraded', 'Unknown'], 'Unknown'],
    [['Healthy', 'Healthy'], 'Healthy'],
  ])('rolls health %j up to %s, as Argo CD ranks it', (healths, worst) => {
    folder.applicationsSnapshot([
      application('dev', { health: healths[0] }),
      application('prod', { health: healths[1] }),
    ]);
    expect(folder.drain().get('shop')?.health.status).toBe(worst);
  });

  it.each([
    [['Synced', 'Synced'], 'Synced'],
    [['Synced', 'Unknown'], 'Unknown'],
    [['OutOfSync', 'Unknown'], 'OutOfSync'],
  ])('rolls sync %j up to %s', (syncs, worst) => {
    folder.applicationsSnapshot([
      application('dev', { sync: syncs[0] }),
      application('prod', { sync: syncs[1] }),
    ]);
    expect(folder.drain().get('shop')?.sync.status).toBe(worst);
  });
});
