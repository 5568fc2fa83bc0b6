import type { V1Deployment } from '@kubernetes/client-node';
import type { RolloutSummary } from '@platform/domain';

/** What the summary reads from one Deployment: its rollout counts and state, and its snapshot mark. */
export type DeploymentFacts = RolloutSummary & { mark: number };

/**
 * A Deployment's rollout as `kubectl rollout status` judges it. The API server omits zero counts
 * from the status, so a missing count is 0; `spec.replicas` defaults to 1.
 */
export function deploymentFacts(deployment: V1Deployment, mark = 0): DeploymentFacts {
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  const current = status.replicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const generation = deployment.metadata?.generation ?? 0;
  const observed = status.observedGeneration ?? 0;
  const stalled = (status.conditions ?? []).some(
    (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );
  return {
    desired,
    updated,
    ready: status.readyReplicas ?? 0,
    available,
    inProgress: observed < generation || updated < desired || current > updated || available < updated,
    stalled,
    mark,
  };
}

/** The rollout of an app's Deployments together: counts add up, any one in progress or stalled counts. */
export function combinedRollout(deployments: Iterable<DeploymentFacts>): RolloutSummary | null {
  let out: RolloutSummary | null = null;
  for (const d of deployments) {
    // Field by field: the facts carry more (their snapshot mark) than a summary shows.
    out =
      out === null
        ? {
            desired: d.desired,
            updated: d.updated,
            ready: d.ready,
            available: d.available,
            inProgress: d.inProgress,
            stalled: d.stalled,
          }
        : {
            desired: out.desired + d.desired,
            updated: out.updated + d.updated,
            ready: out.ready + d.ready,
            available: out.available + d.available,
            inProgress: out.inProgress || d.inProgress,
            stalled: out.stalled || d.stalled,
          };
  }
  return out;
}
