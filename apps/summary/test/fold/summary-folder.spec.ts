import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { Application, Workflow } from '@platform/argo-client';
import { SummaryFolder } from '../../src/fold/summary-folder';

const labels = { 'platform-api/app': 'shop', 'platform-api/team': 'payments' };

function application(overrides: Partial<Application['status']> = {}): Application {
  return {
    metadata: {
      name: 'shop-dev',
      namespace: 'argocd',
      labels: { ...labels, 'platform-api/template': 'go-service', 'platform-api/environment': 'dev' },
    },
    spec: { source: { repoURL: 'http://git/shop-manifests.git' }, destination: { namespace: 'shop-dev' } },
    status: { sync: { status: 'Synced', revision: 'r1' }, health: { status: 'Healthy' }, ...overrides },
  };
}

function workflow(name: string, type: string, phase: string, createdAt: string, image?: string): Workflow {
  return {
    metadata: { name, creationTimestamp: createdAt, labels: { ...labels, 'platform-api/task-type': type } },
    spec: {},
    status: {
      phase: phase as 'Succeeded',
      finishedAt: phase === 'Running' ? null : createdAt,
      outputs: { parameters: image === undefined ? [] : [{ name: 'image', value: image }] },
    },
  };
}

function pod(name: string, ready: boolean, restarts = 0, namespace = 'shop-dev'): V1Pod {
  return {
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app' }] },
    status: { containerStatuses: [{ name: 'app', ready, restartCount: restarts, image: 'x', imageID: '' }] },
  };
}

function warning(object: string, reason: string, at: string, namespace = 'shop-dev'): CoreV1Event {
  return {
    metadata: { name: `${object}.${reason}`, namespace, resourceVersion: '1' },
    involvedObject: { kind: 'Pod', name: object, namespace },
    type: 'Warning',
    reason,
    message: `${reason} of ${object}`,
    lastTimestamp: at as unknown as Date,
  };
}

describe(SummaryFolder.name, () => {
  const now = '2026-11-26T10:00:00.000Z';
  let folder: SummaryFolder;
  beforeEach(() => {
    folder = new SummaryFolder(() => now);
    folder.applicationsSnapshot([application()]);
    folder.drain();
  });

  it('takes the newest ci task as the build and the newest cd task as the deploy', () => {
    folder.workflowsSnapshot([
      workflow('ci-1', 'ci', 'Succeeded', '2026-11-26T09:00:00Z', 'reg/shop:1'),
      workflow('ci-2', 'ci', 'Running', '2026-11-26T09:30:00Z'),
      workflow('cd-1', 'cd', 'Failed', '2026-11-26T09:10:00Z'),
    ]);
    const summary = folder.drain().get('shop');
    expect(summary?.build).toEqual({ taskId: 'ci-2', phase: 'Running', image: null, finishedAt: null });
    expect(summary?.deploy).toMatchObject({ taskId: 'cd-1', phase: 'Failed' });
    expect(summary?.observedAt.build).toBe(now);
    // Deleting the newest reveals the one before.
    folder.workflow('DELETED', workflow('ci-2', 'ci', 'Running', '2026-11-26T09:30:00Z'));
    expect(folder.drain().get('shop')?.build).toMatchObject({ taskId: 'ci-1', image: 'reg/shop:1' });
  });

  it("shows none of a retired app's tasks on a new app of the same name", () => {
    folder.workflowsSnapshot([
      workflow('ci-old', 'ci', 'Succeeded', '2026-11-26T08:00:00Z', 'reg/shop:old'),
      workflow('cd-old', 'cd', 'Succeeded', '2026-11-26T08:10:00Z'),
      // Retired, then created again: Argo keeps the finished workflows until their TTL.
      workflow('delete-1', 'delete', 'Succeeded', '2026-11-26T08:20:00Z'),
      workflow('create-new', 'create', 'Succeeded', '2026-11-26T08:30:00Z'),
    ]);
    const summary = folder.drain().get('shop');
    expect({ build: summary?.build, deploy: summary?.deploy }).toEqual({ build: null, deploy: null });
    // A delete that failed retired nothing: the tasks before it stay the app's.
    folder.workflow('MODIFIED', workflow('delete-1', 'delete', 'Failed', '2026-11-26T08:20:00Z'));
    expect(folder.drain().get('shop')?.build).toMatchObject({ taskId: 'ci-old' });
  });

  it('counts ready pods and restarts, and forgets pods a new snapshot no longer has', () => {
    folder.podsSnapshot([pod('shop-a-1', true), pod('shop-a-2', false, 3)]);
    expect(folder.drain().get('shop')?.pods).toEqual({ ready: 1, total: 2, restarts: 3 });
    folder.podsSnapshot([pod('shop-a-1', true)]);
    expect(folder.drain().get('shop')?.pods).toEqual({ ready: 1, total: 1, restarts: 0 });
  });

  it("keeps the newest Warning of the app's objects, found by pod or by name in its namespace", () => {
    folder.pod('ADDED', pod('shop-a-1', false));
    folder.warning('ADDED', warning('shop-a-1', 'BackOff', '2026-11-26T09:00:02Z'));
    folder.warning('ADDED', warning('shop-7d9f', 'FailedCreate', '2026-11-26T09:00:01Z'));
    folder.warning('ADDED', warning('other-app', 'BackOff', '2026-11-26T09:00:03Z'));
    expect(folder.drain().get('shop')?.lastWarning).toEqual({
      reason: 'BackOff',
      message: 'BackOff of shop-a-1',
      at: '2026-11-26T09:00:02.000Z',
    });
  });

  it("counts only the pods, Deployments and Warnings of the app's destination namespace", () => {
    folder.pod('ADDED', pod('shop-a-1', true));
    folder.warning('ADDED', warning('shop-a-1', 'BackOff', '2026-11-26T09:00:02Z'));
    const before = folder.drain().get('shop');
    // Another team labels a pod of its own namespace with this app's name.
    folder.pod('ADDED', pod('shop-fake', false, 99, 'mallory'));
    folder.deployment('ADDED', {
      metadata: { name: 'shop', namespace: 'mallory', labels, generation: 1 },
      spec: { replicas: 5, selector: {}, template: {} },
      status: { observedGeneration: 1, replicas: 5 },
    });
    folder.warning('ADDED', warning('shop-fake', 'Forged', '2026-11-26T09:59:00Z', 'mallory'));
    expect(folder.drain().has('shop')).toBe(false);
    expect(folder.summary('shop')).toEqual(before);
    expect(before).toMatchObject({
      pods: { ready: 1, total: 1, restarts: 0 },
      rollout: null,
      lastWarning: { reason: 'BackOff' },
    });
  });

  it('attaches nothing before the Application names the namespace, then what is in it', () => {
    folder.applicationsSnapshot([]);
    folder.drain();
    folder.pod('ADDED', pod('shop-a-1', true));
    folder.pod('ADDED', pod('shop-fake', true, 0, 'mallory'));
    expect(folder.drain().get('shop')).toBeUndefined();
    folder.application('ADDED', application());
    expect(folder.drain().get('shop')?.pods).toEqual({ ready: 1, total: 1, restarts: 0 });
  });

  it('removes an app whose Application is deleted or missing from a new list', () => {
    folder.application('DELETED', application());
    expect(folder.drain()).toEqual(new Map([['shop', undefined]]));
    folder.applicationsSnapshot([application()]);
    folder.drain();
    folder.applicationsSnapshot([]);
    expect(folder.drain()).toEqual(new Map([['shop', undefined]]));
    expect(folder.appCount).toBe(0);
  });

  it('does not show an app before its Application exists (pods and tasks wait for it)', () => {
    folder.applicationsSnapshot([]);
    folder.drain();
    folder.workflow('ADDED', workflow('ci-1', 'ci', 'Running', '2026-11-26T09:00:00Z'));
    expect(folder.drain().get('shop')).toBeUndefined();
    folder.application('ADDED', application({ health: { status: 'Progressing' } }));
    expect(folder.drain().get('shop')).toMatchObject({
      template: 'go-service',
      health: { status: 'Progressing' },
      build: { taskId: 'ci-1' },
    });
  });
});
