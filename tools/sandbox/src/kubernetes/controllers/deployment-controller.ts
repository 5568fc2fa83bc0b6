import type { WatchEvent } from '../../core/kube-object';
import type { Watch } from '../../core/object-store';
import { Kinds, type ResourceKind } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { kubeTime } from '../../core/sim-clock';
import { ProgressDeadlines } from './progress-deadlines';
import { deploymentStatus, replicaSetStatus, rolloutComplete, type RolloutCounts } from './deployment-status';
import { OwnedObjectCache } from './owned-object-cache';
import { PodFleet } from './pod-fleet';
import { podTemplateHash } from './pod-template-hash';
import { planRollout, rollingParameters, type ReplicaSetView } from './rollout-plan';
import { REVISION_ANNOTATION, newReplicaSet } from './workload-objects';
import { WorkQueue } from './work-queue';
import {
  POD_TEMPLATE_HASH,
  controllerOf,
  isPodReady,
  type DeploymentObject,
  type PodObject,
  type ReplicaSetObject,
} from './workload-types';

/**
 * The Deployment and ReplicaSet controllers of the sandbox cluster: keeps `spec.replicas` pods of
 * the current pod template through a ReplicaSet per template, rolls updates out (maxSurge /
 * maxUnavailable), scales, writes the Deployment and ReplicaSet status, and deletes the
 * ReplicaSets and pods of a deleted Deployment. Pods are simulated by {@link PodFleet}.
 */
export class DeploymentController {
  private readonly queue = new WorkQueue<void>((key) => this.reconcile(key), {
    onError: (key, error) => console.error(`deployment-controller: ${key}:`, error),
  });
  private readonly fleet: PodFleet;
  private readonly deadlines: ProgressDeadlines;
  private readonly replicaSets: OwnedObjectCache<ReplicaSetObject>;
  private readonly pods: OwnedObjectCache<PodObject>;
  /** uid of each Deployment seen, to collect what a deleted one owned. */
  private readonly known = new Map<string, string>();
  private watch: Watch | undefined;

  constructor(private readonly ctx: SandboxContext) {
    this.fleet = new PodFleet(ctx);
    this.deadlines = new ProgressDeadlines(ctx.clock, (key) => this.queue.add(key));
    this.replicaSets = new OwnedObjectCache(ctx.store, Kinds.ReplicaSet, 'Deployment', (_e, rs) => {
      const owner = controllerOf(rs);
      if (owner !== undefined) this.queue.add(`${rs.metadata.namespace ?? ''}/${owner.name}`);
    });
    this.pods = new OwnedObjectCache(ctx.store, Kinds.Pod, 'ReplicaSet', (event, pod) =>
      this.onPod(event, pod),
    );
  }

  /** Starts (or restarts, after {@link stop}) watching and reconciling. */
  start(): void {
    if (this.watch !== undefined) return;
    this.queue.start();
    this.replicaSets.start();
    this.pods.start();
    this.watch = this.ctx.store.watch(Kinds.Deployment, {}, (event) => {
      this.queue.add(`${event.object.metadata.namespace ?? ''}/${event.object.metadata.name ?? ''}`);
    });
    // ReplicaSets whose Deployment went away while the controller was stopped are collected.
    for (const rs of this.replicaSets.all()) {
      const owner = controllerOf(rs);
      if (owner === undefined) continue;
      const key = `${rs.metadata.namespace ?? ''}/${owner.name}`;
      if (!this.known.has(key)) this.known.set(key, owner.uid);
    }
    // Pods left half-started or terminating by a previous run continue where they were.
    for (const pod of this.pods.all()) {
      if (pod.metadata.deletionTimestamp !== undefined) this.fleet.terminate(pod, undefined);
      else if (!isPodReady(pod)) this.fleet.simulate(pod);
    }
  }

  stop(): void {
    this.watch?.close();
    this.watch = undefined;
    this.queue.stop();
    this.replicaSets.stop();
    this.pods.stop();
    this.fleet.stop();
    this.deadlines.stop();
    this.known.clear();
  }

  private onPod(event: WatchEvent, pod: PodObject): void {
    if (event.type === 'DELETED') this.fleet.forget(pod);
    const rs = this.replicaSets.byObjectUid(controllerOf(pod)?.uid ?? '');
    const owner = rs === undefined ? undefined : controllerOf(rs);
    if (owner !== undefined) this.queue.add(`${pod.metadata.namespace ?? ''}/${owner.name}`);
  }

  private reconcile(key: string): void {
    const [namespace = '', name = ''] = key.split('/');
    const deployment = this.ctx.store.get(Kinds.Deployment, namespace, name) as DeploymentObject | undefined;
    const previousUid = this.known.get(key);
    if (previousUid !== undefined && previousUid !== deployment?.metadata.uid) this.collect(key, previousUid);
    if (deployment === undefined || !isValid(deployment)) return;
    const uid = deployment.metadata.uid ?? '';
    if (deployment.metadata.deletionTimestamp !== undefined) return this.deleteForeground(key, deployment);
    this.known.set(key, uid);

    const hash = podTemplateHash(deployment.spec.template);
    const owned = this.replicaSets.owned(uid).sort((a, b) => revisionOf(a) - revisionOf(b));
    const maxRevision = owned.reduce((n, rs) => Math.max(n, revisionOf(rs)), 0);
    let newRs = owned.find((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH] === hash);
    const created = newRs === undefined;
    if (newRs === undefined) {
      newRs = this.ctx.store.create(
        Kinds.ReplicaSet,
        newReplicaSet(deployment, hash, maxRevision + 1),
      ) as ReplicaSetObject;
    } else if (revisionOf(newRs) < maxRevision) {
      newRs = this.ctx.store.mutate(Kinds.ReplicaSet, namespace, newRs.metadata.name ?? '', (rs) => {
        rs.metadata.annotations = {
          ...rs.metadata.annotations,
          [REVISION_ANNOTATION]: String(maxRevision + 1),
        };
      }) as ReplicaSetObject;
    }
    const newName = newRs.metadata.name ?? '';
    const oldRs = owned.filter((rs) => rs.metadata.name !== newName);

    const plan = planRollout({
      spec: deployment.spec,
      newRs: this.view(newRs),
      oldRs: oldRs.map((rs) => this.view(rs)),
    });
    const counts: RolloutCounts = { total: 0, updated: 0, ready: 0, available: 0 };
    for (const rs of [newRs, ...oldRs]) {
      const target = plan.get(rs.metadata.name ?? '') ?? rs.spec.replicas;
      const current = this.scale(deployment, rs, target);
      const pods = this.syncPods(current, target);
      const ready = pods.filter(isPodReady).length;
      counts.total += pods.length;
      counts.ready += ready;
      counts.available += ready;
      if (current.metadata.name === newName) counts.updated = pods.length;
      this.writeStatus(
        Kinds.ReplicaSet,
        current,
        replicaSetStatus(current.metadata.generation ?? 1, pods.length, ready),
      );
    }
    this.pruneHistory(deployment, oldRs, plan);

    const complete = rolloutComplete(deployment, counts);
    const exceeded = this.deadlines.track(key, { newRs: newName, ...counts }, complete, deployment);
    const { maxUnavailable } = rollingParameters(deployment.spec, deployment.spec.replicas ?? 1);
    const facts = {
      ...counts,
      newRsName: newName,
      newRsCreated: created,
      deadlineExceeded: exceeded,
      maxUnavailable,
    };
    this.writeStatus(Kinds.Deployment, deployment, deploymentStatus(deployment, facts, kubeTime(new Date())));
  }

  private view(rs: ReplicaSetObject): ReplicaSetView {
    const pods = this.activePods(rs);
    return {
      name: rs.metadata.name ?? '',
      replicas: rs.spec.replicas,
      pods: pods.length,
      available: pods.filter(isPodReady).length,
    };
  }

  private activePods(rs: ReplicaSetObject): PodObject[] {
    return this.pods.owned(rs.metadata.uid ?? '').filter((pod) => !this.fleet.isTerminating(pod));
  }

  private scale(deployment: DeploymentObject, rs: ReplicaSetObject, target: number): ReplicaSetObject {
    const from = rs.spec.replicas;
    if (from === target) return rs;
    const name = rs.metadata.name ?? '';
    const direction = target > from ? 'up' : 'down';
    this.ctx.events.record(
      deployment,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${direction} replica set ${name} from ${from} to ${target}`,
      'deployment-controller',
    );
    return this.ctx.store.mutate(Kinds.ReplicaSet, rs.metadata.namespace, name, (o) => {
      (o as ReplicaSetObject).spec.replicas = target;
      o.metadata.annotations = {
        ...o.metadata.annotations,
        'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas ?? 1),
      };
    }) as ReplicaSetObject;
  }

  /** Creates or terminates pods until the ReplicaSet has `target`; returns its live pods. */
  private syncPods(rs: ReplicaSetObject, target: number): PodObject[] {
    let pods = this.activePods(rs);
    for (let i = pods.length; i < target; i += 1) this.fleet.create(rs);
    if (pods.length > target) {
      // The ReplicaSet controller deletes pods that are not ready first, newest first.
      const victims = [...pods].sort(deletionOrder).slice(0, pods.length - target);
      for (const pod of victims) this.fleet.terminate(pod, rs);
    }
    pods = this.activePods(rs);
    return pods;
  }

  /** Keeps `revisionHistoryLimit` (10) old ReplicaSets scaled to zero; older ones are deleted. */
  private pruneHistory(
    deployment: DeploymentObject,
    oldRs: ReplicaSetObject[],
    plan: Map<string, number>,
  ): void {
    const limit = deployment.spec.revisionHistoryLimit ?? 10;
    const idle = oldRs.filter(
      (rs) => plan.get(rs.metadata.name ?? '') === 0 && this.pods.owned(rs.metadata.uid ?? '').length === 0,
    );
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      this.ctx.store.delete(Kinds.ReplicaSet, rs.metadata.namespace, rs.metadata.name ?? '');
    }
  }

  /** Foreground deletion: the dependents go first, then the garbage collector's finalizer. */
  private deleteForeground(key: string, deployment: DeploymentObject): void {
    this.collect(key, deployment.metadata.uid ?? '');
    if (deployment.metadata.finalizers?.includes(FOREGROUND) !== true) return;
    this.ctx.store.mutate(
      Kinds.Deployment,
      deployment.metadata.namespace,
      deployment.metadata.name ?? '',
      (o) => {
        o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND);
      },
    );
  }

  /** The Deployment is gone (or was replaced): delete what the old one owned, as the garbage collector does. */
  private collect(key: string, uid: string): void {
    this.known.delete(key);
    this.deadlines.forget(key);
    for (const rs of this.replicaSets.owned(uid)) {
      for (const pod of this.pods.owned(rs.metadata.uid ?? '')) this.fleet.remove(pod);
      try {
        this.ctx.store.delete(Kinds.ReplicaSet, rs.metadata.namespace, rs.metadata.name ?? '');
      } catch {
        // Already deleted by someone else: nothing left to collect.
      }
    }
  }

  private writeStatus(kind: ResourceKind, object: DeploymentObject | ReplicaSetObject, status: object): void {
    if (JSON.stringify(object.status) === JSON.stringify(status)) return;
    this.ctx.store.mutate(
      kind,
      object.metadata.namespace,
      object.metadata.name ?? '',
      (o) => (o.status = status),
    );
  }
}

const FOREGROUND = 'foregroundDeletion';

function revisionOf(rs: ReplicaSetObject): number {
  return Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
}

function deletionOrder(a: PodObject, b: PodObject): number {
  const readyA = isPodReady(a) ? 1 : 0;
  const readyB = isPodReady(b) ? 1 : 0;
  if (readyA !== readyB) return readyA - readyB;
  return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}

/** Deployments written through the Kubernetes API may be malformed; those are left alone. */
function isValid(deployment: DeploymentObject): boolean {
  const containers = deployment.spec?.template?.spec?.containers as unknown;
  return (
    Array.isArray(containers) &&
    containers.length > 0 &&
    containers.every(
      (c: { name?: unknown; image?: unknown }) => typeof c?.name === 'string' && typeof c?.image === 'string',
    )
  );
}
