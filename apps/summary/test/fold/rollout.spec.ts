import type { V1Deployment, V1DeploymentStatus } from '@kubernetes/client-node';
import type { Application } from '@platform/argo-client';
import { deploymentFacts } from '../../src/fold/from-deployment';
import { SummaryFolder } from '../../src/fold/summary-folder';

const labels = { 'platform-api/app': 'shop', 'platform-api/team': 'payments' };

const application: Application = {
  metadata: {
    name: 'shop-dev',
    namespace: 'argocd',
    labels: { ...labels, 'platform-api/environment': 'dev' },
  },
  spec: { destination: { namespace: 'shop-dev' } },
  status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
};

function deployment(
  name: string,
  replicas: number | undefined,
  generation: number,
  status: V1DeploymentStatus,
  appLabels: Record<string, string> = labels,
): V1Deployment {
  return {
    metadata: { name, namespace: 'shop-dev', labels: appLabels, generation },
    spec: { replicas, selector: {}, template: {} },
    status,
  };
}

/** A Deployment whose every replica runs the current template and is available. */
const rolledOut = (name: string, replicas: number): V1Deployment =>
  deployment(name, replicas, 2, {
    observedGeneration: 2,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
  });

describe(deploymentFacts.name, () => {
  it('reads desired, updated, ready and available replicas of a finished rollout', () => {
    expect(deploymentFacts(rolledOut('shop', 3), 7)).toEqual({
      desired: 3,
      updated: 3,
      ready: 3,
      available: 3,
      inProgress: false,
      stalled: false,
      mark: 7,
    });
  });

  it.each<[string, V1Deployment]>([
    ['the controller has not observed the new spec yet', deployment('shop', 2, 3, rolledOut('x', 2).status!)],
    [
      'fewer replicas than desired run the new template',
      deployment('shop', 2, 2, {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 1,
        availableReplicas: 2,
      }),
    ],
    [
      'old replicas are still terminating',
      deployment('shop', 2, 2, {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 2,
        availableReplicas: 2,
      }),
    ],
    [
      'updated replicas are not available yet',
      deployment('shop', 2, 2, {
        observedGeneration: 2,
        replicas: 2,
        updatedReplicas: 2,
        availableReplicas: 1,
      }),
    ],
  ])('is in progress when %s', (_why, object) => {
    expect(deploymentFacts(object).inProgress).toBe(true);
  });

  it('defaults spec.replicas to 1 and omitted counts (the API server drops zeros) to 0', () => {
    expect(deploymentFacts(deployment('shop', undefined, 1, { observedGeneration: 1 }))).toEqual({
      desired: 1,
      updated: 0,
      ready: 0,
      available: 0,
      inProgress: true,
      stalled: false,
      mark: 0,
    });
  });

  it('is stalled once Progressing says ProgressDeadlineExceeded', () => {
    const stuck = deployment('shop', 1, 2, {
      observedGeneration: 2,
      replicas: 2,
      updatedReplicas: 1,
      availableReplicas: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(deploymentFacts(stuck)).toMatchObject({ inProgress: true, stalled: true });
  });
});

describe('SummaryFolder rollout', () => {
  const now = '2026-11-26T10:00:00Z';
  let folder: SummaryFolder;
  beforeEach(() => {
    folder = new SummaryFolder(() => now);
    folder.applicationsSnapshot([application]);
    folder.drain();
  });

  it('is null, never observed, before any Deployment was listed', () => {
    const summary = folder.summary('shop');
    expect(summary?.rollout).toBeNull();
    expect(summary?.observedAt.rollout).toBeNull();
  });

  it("adds up the app's Deployments; one rolling out makes the app's rollout in progress", () => {
    folder.deploymentsSnapshot([rolledOut('shop', 2), rolledOut('shop-worker', 1)]);
    expect(folder.drain().get('shop')).toMatchObject({
      rollout: { desired: 3, updated: 3, ready: 3, available: 3, inProgress: false, stalled: false },
      observedAt: { rollout: now },
    });
    folder.deployment(
      'MODIFIED',
      deployment('shop-worker', 1, 3, {
        observedGeneration: 3,
        replicas: 2,
        updatedReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
      }),
    );
    expect(folder.drain().get('shop')?.rollout).toEqual({
      desired: 3,
      updated: 3,
      ready: 3,
      available: 3,
      inProgress: true,
      stalled: false,
    });
  });

  it('forgets a deleted Deployment, and those a new list no longer has', () => {
    folder.deploymentsSnapshot([rolledOut('shop', 2), rolledOut('shop-worker', 1)]);
    folder.deployment('DELETED', rolledOut('shop-worker', 1));
    expect(folder.drain().get('shop')?.rollout).toMatchObject({ desired: 2 });
    folder.deploymentsSnapshot([]);
    expect(folder.drain().get('shop')).toMatchObject({ rollout: null, observedAt: { rollout: now } });
  });

  it("ignores Deployments without the platform's app label", () => {
    folder.deploymentsSnapshot([deployment('other', 1, 1, {}, { app: 'other' })]);
    expect(folder.drain().size).toBe(0);
  });

  it('keeps no state for an app once its Application and Deployments are gone', () => {
    folder.deploymentsSnapshot([rolledOut('shop', 1)]);
    folder.applicationsSnapshot([]);
    folder.deployment('DELETED', rolledOut('shop', 1));
    expect(folder.drain().get('shop')).toBeUndefined();
    expect(folder.appCount).toBe(0);
  });
});
