import type { Condition, DeploymentObject, DeploymentStatus } from './workload-types';

/** Counts of a Deployment's pods across its ReplicaSets (terminating pods excluded). */
export interface RolloutCounts {
  total: number;
  updated: number;
  ready: number;
  available: number;
}

export interface RolloutFacts extends RolloutCounts {
  newRsName: string;
  /** The new ReplicaSet was created by this reconcile. */
  newRsCreated: boolean;
  /** No progress for `progressDeadlineSeconds` of simulated time. */
  deadlineExceeded: boolean;
  maxUnavailable: number;
}

/** True once every replica runs the current template and is available, with no old pod left. */
export function rolloutComplete(deployment: DeploymentObject, counts: RolloutCounts): boolean {
  const desired = deployment.spec.replicas ?? 1;
  return counts.updated === desired && counts.total === desired && counts.available === desired;
}

/**
 * The Deployment status the controller writes: counts (zero counts omitted, as the API server's
 * JSON omits them) and the Available / Progressing conditions with their real reasons. Condition
 * timestamps only move when the condition changes, or on progress, so an unchanged rollout
 * renders the same status and causes no write.
 */
export function deploymentStatus(
  deployment: DeploymentObject,
  facts: RolloutFacts,
  now: string,
): DeploymentStatus {
  const desired = deployment.spec.replicas ?? 1;
  const previous = deployment.status;
  const status: DeploymentStatus = { observedGeneration: deployment.metadata.generation ?? 1 };
  if (facts.total > 0) status.replicas = facts.total;
  if (facts.updated > 0) status.updatedReplicas = facts.updated;
  if (facts.ready > 0) status.readyReplicas = facts.ready;
  if (facts.available > 0) status.availableReplicas = facts.available;
  const unavailable = Math.max(0, desired - facts.available);
  if (unavailable > 0) status.unavailableReplicas = unavailable;

  const progressed = previous === undefined || countsOf(previous).join() !== countsOf(status).join();
  const available: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'> =
    facts.available >= desired - facts.maxUnavailable
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        };
  const rs = `ReplicaSet "${facts.newRsName}"`;
  let progressing: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>;
  if (rolloutComplete(deployment, facts)) {
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `${rs} has successfully progressed.`,
    };
  } else if (facts.deadlineExceeded) {
    progressing = {
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `${rs} has timed out progressing.`,
    };
  } else if (facts.newRsCreated) {
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "${facts.newRsName}"`,
    };
  } else {
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `${rs} is progressing.`,
    };
  }
  const touch = progressed && progressing.reason === 'ReplicaSetUpdated';
  status.conditions = [
    withTimes(previous?.conditions, available, now, false),
    withTimes(previous?.conditions, progressing, now, touch),
  ];
  return status;
}

function countsOf(status: DeploymentStatus): number[] {
  return [
    status.replicas ?? 0,
    status.updatedReplicas ?? 0,
    status.readyReplicas ?? 0,
    status.availableReplicas ?? 0,
  ];
}

function withTimes(
  previous: Condition[] | undefined,
  next: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>,
  now: string,
  touch: boolean,
): Condition {
  const old = previous?.find((c) => c.type === next.type);
  if (
    old !== undefined &&
    old.status === next.status &&
    old.reason === next.reason &&
    old.message === next.message &&
    !touch
  ) {
    return old;
  }
  const lastTransitionTime = old !== undefined && old.status === next.status ? old.lastTransitionTime : now;
  return {
    type: next.type,
    status: next.status,
    lastUpdateTime: now,
    lastTransitionTime,
    reason: next.reason,
    message: next.message,
  };
}

/** The ReplicaSet status (replicas always present, other zero counts omitted). */
export function replicaSetStatus(generation: number, pods: number, ready: number): Record<string, unknown> {
  const status: Record<string, unknown> = { replicas: pods };
  if (pods > 0) status.fullyLabeledReplicas = pods;
  if (ready > 0) status.readyReplicas = ready;
  if (ready > 0) status.availableReplicas = ready;
  status.observedGeneration = generation;
  return status;
}
