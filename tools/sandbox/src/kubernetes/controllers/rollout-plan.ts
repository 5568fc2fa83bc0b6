import type { DeploymentSpec } from './workload-types';

/** One ReplicaSet as the rollout sees it. */
export interface ReplicaSetView {
  name: string;
  /** `spec.replicas` */
  replicas: number;
  /** Pods that exist and are available (Ready; minReadySeconds is not simulated). */
  available: number;
  /** Pods that exist and are not terminating. */
  pods: number;
}

export interface RolloutInput {
  spec: DeploymentSpec;
  newRs: ReplicaSetView;
  /** Older ReplicaSets, oldest first. */
  oldRs: ReplicaSetView[];
}

/**
 * The `spec.replicas` each ReplicaSet should have now, following the Deployment controller's
 * rolling update (scale the new ReplicaSet up within maxSurge, then scale old ones down while
 * keeping `replicas - maxUnavailable` available, unhealthy old pods first) or Recreate (old to
 * zero, then the new one up once no old pod is left). Called again whenever pods change.
 */
export function planRollout({ spec, newRs, oldRs }: RolloutInput): Map<string, number> {
  const desired = spec.replicas ?? 1;
  const plan = new Map<string, number>([[newRs.name, newRs.replicas]]);
  for (const rs of oldRs) plan.set(rs.name, rs.replicas);
  if (spec.paused === true) return plan;

  if (spec.strategy?.type === 'Recreate') {
    for (const rs of oldRs) plan.set(rs.name, 0);
    const oldPods = oldRs.reduce((n, rs) => n + rs.pods, 0);
    if (oldPods === 0) plan.set(newRs.name, desired);
    return plan;
  }

  const { maxSurge, maxUnavailable } = rollingParameters(spec, desired);
  const oldReplicas = oldRs.reduce((n, rs) => n + rs.replicas, 0);
  let newReplicas = newRs.replicas;
  if (oldReplicas === 0 || newReplicas > desired) {
    newReplicas = desired;
  } else {
    const room = desired + maxSurge - (newReplicas + oldReplicas);
    if (room > 0) newReplicas = Math.min(desired, newReplicas + room);
  }
  plan.set(newRs.name, newReplicas);
  if (oldReplicas === 0) return plan;

  const minAvailable = desired - maxUnavailable;
  const newUnavailable = Math.max(0, newReplicas - newRs.available);
  let maxScaledDown = newReplicas + oldReplicas - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return plan;

  // Old pods that are not available anyway can go first without hurting availability.
  const remaining = new Map(oldRs.map((rs) => [rs.name, rs.replicas]));
  for (const rs of oldRs) {
    const unhealthy = Math.max(0, (remaining.get(rs.name) ?? 0) - rs.available);
    const cut = Math.min(unhealthy, maxScaledDown);
    remaining.set(rs.name, (remaining.get(rs.name) ?? 0) - cut);
    maxScaledDown -= cut;
  }
  const available =
    newRs.available + oldRs.reduce((n, rs) => n + Math.min(rs.available, remaining.get(rs.name) ?? 0), 0);
  let toScaleDown = available - minAvailable;
  for (const rs of oldRs) {
    if (toScaleDown <= 0) break;
    const current = remaining.get(rs.name) ?? 0;
    const cut = Math.min(current, toScaleDown);
    remaining.set(rs.name, current - cut);
    toScaleDown -= cut;
  }
  for (const [name, replicas] of remaining) plan.set(name, replicas);
  return plan;
}

/** maxSurge (rounded up) and maxUnavailable (rounded down), both defaulting to 25%. */
export function rollingParameters(
  spec: DeploymentSpec,
  desired: number,
): { maxSurge: number; maxUnavailable: number } {
  const rolling = spec.strategy?.rollingUpdate;
  const maxSurge = resolve(rolling?.maxSurge ?? '25%', desired, Math.ceil);
  let maxUnavailable = resolve(rolling?.maxUnavailable ?? '25%', desired, Math.floor);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, desired) };
}

function resolve(value: number | string, total: number, round: (n: number) => number): number {
  if (typeof value === 'number') return Math.max(0, Math.trunc(value));
  const percent = /^(\d+)%$/.exec(value);
  if (percent !== null) return round((Number(percent[1]) * total) / 100);
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
