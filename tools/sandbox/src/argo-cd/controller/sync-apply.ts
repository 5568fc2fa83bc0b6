import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { StoreError } from '../../core/store-errors';
import { KubeApiError } from '../../kubernetes/api/status';
import { validateObject } from '../../kubernetes/api/validation';
import { stableJson } from '../../kubernetes/controllers/pod-template-hash';
import { kindOf, resourceKey, trackedObjects } from './app-compare';
import type { ResourceResult, SyncResourceRef } from '../shared/app-types';
import { isMap } from '../shared/json-map';
import { groupOf, versionOf } from '../shared/render-tracking';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** gitops-engine's sync order by kind (unlisted kinds after these, as "other"). */
const KIND_ORDER = [
  'Namespace',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'Service',
  'Pod',
  'ReplicaSet',
  'Deployment',
];

export interface ApplyOptions {
  prune: boolean;
  dryRun: boolean;
  /** Only these resources (a selective sync); all when undefined or empty. */
  selected?: SyncResourceRef[];
  /** The destination namespace to create first (syncOption CreateNamespace=true), see syncTasks. */
  managedNamespace?: KubeObject;
}

/**
 * Applies the target objects like `kubectl apply` (three-way merge with the last-applied
 * annotation, so fields others added survive and fields removed from git go away), and prunes
 * or reports the tracked objects that left git. The managed namespace, if any, is created first;
 * no other namespace is: an object in a namespace that does not exist fails as kubectl's apply
 * does. Returns the per-resource results Argo CD writes into `syncResult.resources`.
 */
export function applyTargets(
  ctx: SandboxContext,
  app: string,
  targets: KubeObject[],
  options: ApplyOptions,
): ResourceResult[] {
  const results: ResourceResult[] = [];
  const chosen = (o: KubeObject) => isSelected(o, options.selected);
  const wanted = targets.filter(chosen).sort((a, b) => rank(a) - rank(b));
  const namespace = options.managedNamespace;
  if (namespace !== undefined) {
    const name = namespace.metadata.name ?? '';
    if (!options.dryRun) {
      ctx.store.create(Kinds.Namespace, {
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    }
    const created = result(
      namespace,
      'Synced',
      `namespace/${name} created${options.dryRun ? ' (dry run)' : ''}`,
    );
    results.push({ ...created, syncPhase: 'PreSync' });
  }
  for (const target of wanted) results.push(applyOne(ctx, target, options.dryRun));
  const targetKeys = new Set(targets.map(resourceKey));
  for (const live of trackedObjects(ctx, app)) {
    if (targetKeys.has(resourceKey(live)) || !chosen(live)) continue;
    if (!options.prune) {
      results.push(result(live, 'PruneSkipped', 'ignored (requires pruning)'));
      continue;
    }
    if (!options.dryRun)
      ctx.store.delete(kindOf(live) ?? Kinds.Deployment, live.metadata.namespace, live.metadata.name ?? '');
    results.push(result(live, 'Pruned', options.dryRun ? 'pruned (dry run)' : 'pruned'));
  }
  return results;
}

function applyOne(ctx: SandboxContext, target: KubeObject, dryRun: boolean): ResourceResult {
  const kind = kindOf(target);
  if (kind === undefined) {
    return result(
      target,
      'SyncFailed',
      `the server could not find the requested resource (${target.apiVersion ?? ''} ${target.kind ?? ''})`,
    );
  }
  const suffix = dryRun ? ' (dry run)' : '';
  const desired = structuredClone(target);
  desired.metadata.annotations = { ...desired.metadata.annotations, [LAST_APPLIED]: JSON.stringify(target) };
  try {
    // The API server validates what kubectl applies: an invalid object fails to sync, as on a cluster.
    validateObject(kind, desired);
    const live = ctx.store.get(kind, target.metadata.namespace, target.metadata.name ?? '');
    const namespace = target.metadata.namespace;
    if (live === undefined && kind.namespaced && namespace !== undefined && !dryRun) {
      // The API server's answer to a create in a missing namespace, as kubectl reports it.
      if (ctx.store.get(Kinds.Namespace, undefined, namespace) === undefined)
        throw KubeApiError.notFound(Kinds.Namespace, namespace);
    }
    if (live === undefined) {
      if (!dryRun) ctx.store.create(kind, kind.kind === 'Service' ? withClusterIp(desired) : desired);
      return result(target, 'Synced', `${label(target)} created${suffix}`);
    }
    const last = parseLastApplied(live);
    const merged = mergeApply(live, last, desired);
    if (stableJson(merged) === stableJson(live))
      return result(target, 'Synced', `${label(target)} unchanged${suffix}`);
    if (!dryRun) ctx.store.update(kind, merged);
    return result(target, 'Synced', `${label(target)} configured${suffix}`);
  } catch (error) {
    if (error instanceof StoreError || error instanceof KubeApiError)
      return result(target, 'SyncFailed', error.message);
    throw error;
  }
}

/** kubectl's three-way merge, by whole values below maps (lists are replaced). */
function mergeApply(live: KubeObject, last: KubeObject | undefined, desired: KubeObject): KubeObject {
  const merged = merge(live, last, desired) as KubeObject;
  merged.metadata = {
    ...live.metadata,
    labels: merge(live.metadata.labels, last?.metadata.labels, desired.metadata.labels ?? {}) as Record<
      string,
      string
    >,
    annotations: merge(
      live.metadata.annotations,
      last?.metadata.annotations,
      desired.metadata.annotations ?? {},
    ) as Record<string, string>,
  };
  merged.status = live.status;
  return merged;
}

function merge(live: unknown, last: unknown, desired: unknown): unknown {
  if (!isMap(desired) || !isMap(live)) return structuredClone(desired);
  const out: Record<string, unknown> = { ...live };
  if (isMap(last)) for (const key of Object.keys(last)) if (!(key in desired)) delete out[key];
  for (const [key, value] of Object.entries(desired))
    out[key] = merge(live[key], isMap(last) ? last[key] : undefined, value);
  return out;
}

function parseLastApplied(live: KubeObject): KubeObject | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED];
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isMap(parsed) && isMap(parsed.metadata) ? (parsed as KubeObject) : undefined;
  } catch {
    return undefined;
  }
}

function withClusterIp(service: KubeObject): KubeObject {
  const spec = (service.spec ?? {}) as Record<string, unknown>;
  if (
    spec.type === undefined ||
    spec.type === 'ClusterIP' ||
    spec.type === 'NodePort' ||
    spec.type === 'LoadBalancer'
  ) {
    if (spec.clusterIP === undefined) {
      const key = `${service.metadata.namespace ?? ''}/${service.metadata.name ?? ''}`;
      let hash = 0;
      for (let i = 0; i < key.length; i += 1) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
      spec.clusterIP = `10.96.${(hash >>> 8) % 256}.${(hash % 253) + 2}`;
      spec.clusterIPs = [spec.clusterIP];
    }
  }
  return { ...service, spec };
}

function result(object: KubeObject, status: ResourceResult['status'], message: string): ResourceResult {
  return {
    group: groupOf(object.apiVersion ?? ''),
    version: versionOf(object.apiVersion ?? ''),
    kind: object.kind ?? '',
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name ?? '',
    status,
    message,
    hookPhase: 'Running',
    syncPhase: 'Sync',
  };
}

/** `deployment.apps/web`, `service/web`: how kubectl names what it applied. */
function label(object: KubeObject): string {
  const group = groupOf(object.apiVersion ?? '');
  return `${(object.kind ?? '').toLowerCase()}${group === '' ? '' : `.${group}`}/${object.metadata.name ?? ''}`;
}

/** Whether a selective sync (`resources`) includes the object; every object when none are named. */
export function isSelected(object: KubeObject, selected: SyncResourceRef[] | undefined): boolean {
  return selected === undefined || selected.length === 0 || selected.some((r) => refers(r, object));
}

function refers(ref: SyncResourceRef, object: KubeObject): boolean {
  return (
    ref.kind === object.kind &&
    ref.name === object.metadata.name &&
    (ref.group ?? '') === groupOf(object.apiVersion ?? '') &&
    (ref.namespace === undefined || ref.namespace === '' || ref.namespace === object.metadata.namespace)
  );
}

function rank(object: KubeObject): number {
  const index = KIND_ORDER.indexOf(object.kind ?? '');
  return index < 0 ? KIND_ORDER.length : index;
}
