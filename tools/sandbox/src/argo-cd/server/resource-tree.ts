import type { KubeObject } from '../../core/kube-object';
import { Kinds, type ResourceKind } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import type { PodObject } from '../../kubernetes/controllers/workload-types';
import { resourceHealth } from '../shared/health-resources';
import { isTrackedBy } from '../shared/render-tracking';

/** Kinds the sandbox's Argo CD shows in a resource tree. */
export const TREE_KINDS: readonly ResourceKind[] = [
  Kinds.Deployment,
  Kinds.ReplicaSet,
  Kinds.Pod,
  Kinds.Service,
  Kinds.ConfigMap,
  Kinds.Secret,
  Kinds.ServiceAccount,
];

type Node = Record<string, unknown>;

/**
 * The app's `ApplicationTree` from the live objects: what its tracking annotation marks in the
 * destination namespace, plus everything owned by those through ownerReferences (ReplicaSets,
 * Pods), with parentRefs, info, images and health; nodes sorted by group/kind/namespace/name as
 * `tree.Normalize()` does. Labels play no part (Argo CD v3 tracks by annotation).
 */
export function buildResourceTree(ctx: SandboxContext, app: KubeObject): { nodes: Node[] } {
  const appName = app.metadata.name ?? '';
  const namespace =
    (app.spec as { destination?: { namespace?: string } } | undefined)?.destination?.namespace || undefined;
  const objects = TREE_KINDS.flatMap((kind) => ctx.store.list(kind, { namespace }).items);
  const included = new Map<string, KubeObject>();
  for (const object of objects) if (isTrackedBy(object, appName)) included.set(uidOf(object), object);
  for (let grew = true; grew;) {
    grew = false;
    for (const object of objects) {
      if (included.has(uidOf(object))) continue;
      if ((object.metadata.ownerReferences ?? []).some((ref) => included.has(ref.uid))) {
        included.set(uidOf(object), object);
        grew = true;
      }
    }
  }
  const nodes = [...included.values()].map((object) => toNode(object, included));
  nodes.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return { nodes };
}

function toNode(object: KubeObject, included: Map<string, KubeObject>): Node {
  const [group, version] = splitApiVersion(object.apiVersion ?? '');
  const kind = object.kind ?? '';
  const node: Node = {};
  if (group !== '') node.group = group;
  node.version = version;
  node.kind = kind;
  if (object.metadata.namespace !== undefined) node.namespace = object.metadata.namespace;
  node.name = object.metadata.name;
  node.uid = object.metadata.uid;
  const parents = (object.metadata.ownerReferences ?? []).flatMap((ref) => {
    const owner = included.get(ref.uid);
    if (owner === undefined) return [];
    const [ownerGroup] = splitApiVersion(owner.apiVersion ?? '');
    return [
      {
        ...(ownerGroup === '' ? {} : { group: ownerGroup }),
        kind: ref.kind,
        namespace: owner.metadata.namespace,
        name: ref.name,
        uid: ref.uid,
      },
    ];
  });
  if (parents.length > 0) node.parentRefs = parents;
  const info = infoOf(object);
  if (info.length > 0) node.info = info;
  node.resourceVersion = object.metadata.resourceVersion;
  if (kind === 'Pod') {
    const images = (
      (object.spec as { containers?: Array<{ image?: string }> } | undefined)?.containers ?? []
    ).map((c) => c.image ?? '');
    if (images.length > 0) node.images = images;
  }
  const health = kind === 'ReplicaSet' ? replicaSetHealth(object) : resourceHealth(object, kind);
  if (health !== undefined) node.health = health;
  if (object.metadata.creationTimestamp !== undefined) node.createdAt = object.metadata.creationTimestamp;
  return node;
}

/** `populatePodInfo` / the revision of Deployments and ReplicaSets. */
function infoOf(object: KubeObject): Array<{ name: string; value: string }> {
  const revision = object.metadata.annotations?.['deployment.kubernetes.io/revision'];
  if (object.kind !== 'Pod')
    return revision === undefined ? [] : [{ name: 'Revision', value: `Rev:${revision}` }];
  const pod = object as PodObject;
  let reason: string = pod.status?.phase ?? '';
  let ready = 0;
  let restarts = 0;
  for (const status of pod.status?.containerStatuses ?? []) {
    restarts += status.restartCount;
    if (status.ready) ready += 1;
    if (status.state.waiting?.reason) reason = status.state.waiting.reason;
    else if (status.state.terminated?.reason) reason = status.state.terminated.reason;
  }
  const info = reason === '' ? [] : [{ name: 'Status Reason', value: reason }];
  info.push({ name: 'Node', value: pod.spec.nodeName ?? '' });
  info.push({ name: 'Containers', value: `${ready}/${pod.spec.containers.length}` });
  if (restarts > 0) info.push({ name: 'Restart Count', value: String(restarts) });
  return info;
}

/** gitops-engine `getAppsv1ReplicaSetHealth`. */
function replicaSetHealth(rs: KubeObject): { status: string; message?: string } {
  const status = (rs.status ?? {}) as {
    observedGeneration?: number;
    availableReplicas?: number;
    conditions?: Array<{ type: string; status: string; message?: string }>;
  };
  if ((rs.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return {
      status: 'Progressing',
      message: 'Waiting for rollout to finish: observed replica set generation less than desired generation',
    };
  }
  const failure = status.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (failure !== undefined) return { status: 'Degraded', message: failure.message ?? '' };
  const replicas = (rs.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  const available = status.availableReplicas ?? 0;
  if (available < replicas) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} out of ${replicas} new replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

function uidOf(object: KubeObject): string {
  return (
    object.metadata.uid ??
    `${object.kind ?? ''}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`
  );
}

function sortKey(node: Node): string {
  return [node.group, node.kind, node.namespace, node.name]
    .map((part) => (typeof part === 'string' ? part : ''))
    .join('/');
}
