import type { KubeObject } from '../../core/kube-object';
import { ALL_KINDS, Kinds, type ResourceKind } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import type { DeploymentObject } from '../../kubernetes/controllers/workload-types';
import type { HealthCode, ResourceStatus, SyncCode } from '../shared/app-types';
import { resourceHealth, worstHealth } from '../shared/health-resources';
import { isMap } from '../shared/json-map';
import { groupOf, isTrackedBy, versionOf } from '../shared/render-tracking';

/** Kinds whose objects an app can own (and the controller may prune). */
export const MANAGED_KINDS: readonly ResourceKind[] = [
  Kinds.Deployment,
  Kinds.Service,
  Kinds.ConfigMap,
  Kinds.Secret,
  Kinds.ServiceAccount,
  Kinds.Role,
  Kinds.RoleBinding,
  Kinds.ClusterRole,
  Kinds.ClusterRoleBinding,
  Kinds.NetworkPolicy,
  Kinds.ResourceQuota,
  Kinds.LimitRange,
];

export interface Comparison {
  resources: ResourceStatus[];
  sync: SyncCode;
  health: HealthCode;
  images: string[];
}

export interface CompareOptions {
  /** Look for tracked objects that are no longer targets (default true). */
  findExtra?: boolean;
}

/** Finds the served kind of an object's apiVersion and kind. */
export function kindOf(object: KubeObject): ResourceKind | undefined {
  const group = groupOf(object.apiVersion ?? '');
  return ALL_KINDS.find((k) => k.group === group && k.kind === object.kind);
}

/**
 * Compares the target objects with the live ones, as the application controller's comparison
 * does: each target is Synced when everything it sets is set the same way live (fields the
 * cluster adds are ignored), objects the app tracks that are no longer targets are OutOfSync and
 * require pruning, and health comes from Argo CD's checks of the live objects.
 */
export function compareApp(
  ctx: SandboxContext,
  app: string,
  targets: KubeObject[],
  options: CompareOptions = {},
): Comparison {
  const { findExtra = true } = options;
  const resources: ResourceStatus[] = [];
  const images = new Set<string>();
  const seen = new Set<string>();
  const add = (object: KubeObject, live: KubeObject | undefined, status: SyncCode, prune: boolean) => {
    // A Deployment's own health, as Argo CD's (gitops-engine's) check computes it from its status:
    // pods stuck in a back-off leave it Progressing until the rollout's progress deadline passes
    // (pods are not managed resources, so their Degraded never reaches the app).
    const health = resourceHealth(live, object.kind ?? '');
    if (live !== undefined && object.kind === 'Deployment') {
      const deployment = live as DeploymentObject;
      for (const c of deployment.spec.template.spec.containers) images.add(c.image);
    }
    const group = groupOf(object.apiVersion ?? '');
    resources.push({
      ...(group !== '' ? { group } : {}),
      version: versionOf(object.apiVersion ?? ''),
      kind: object.kind ?? '',
      ...(object.metadata.namespace !== undefined ? { namespace: object.metadata.namespace } : {}),
      name: object.metadata.name ?? '',
      status,
      ...(health !== undefined ? { health } : {}),
      ...(prune ? { requiresPruning: true } : {}),
    });
  };

  for (const target of targets) {
    const kind = kindOf(target);
    const live =
      kind === undefined
        ? undefined
        : ctx.store.get(kind, target.metadata.namespace, target.metadata.name ?? '');
    seen.add(resourceKey(target));
    add(
      target,
      live,
      live !== undefined && isSubset(comparable(target), live) ? 'Synced' : 'OutOfSync',
      false,
    );
  }
  if (findExtra) {
    for (const live of trackedObjects(ctx, app)) {
      if (!seen.has(resourceKey(live))) add(live, live, 'OutOfSync', true);
    }
  }
  resources.sort(byGroupKindNamespaceName);
  const withHealth = resources.flatMap((r) => (r.health === undefined ? [] : [r.health.status]));
  return {
    resources,
    sync: resources.every((r) => r.status === 'Synced') ? 'Synced' : 'OutOfSync',
    health: worstHealth(withHealth),
    images: [...images].sort(),
  };
}

/**
 * Live objects of the managed kinds whose tracking annotation names the app, in any namespace (a
 * chart may name its own). Labels do not count: Argo CD v3 tracks by annotation only.
 */
export function trackedObjects(ctx: SandboxContext, app: string): KubeObject[] {
  return MANAGED_KINDS.flatMap((kind) =>
    ctx.store
      .listShared(kind)
      .items.filter((o) => isTrackedBy(o, app))
      .map((o) => structuredClone(o)),
  );
}

export function resourceKey(object: KubeObject): string {
  return `${groupOf(object.apiVersion ?? '')}/${object.kind ?? ''}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/** The parts of a target that must match live: labels, annotations, spec and data. */
function comparable(target: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = target;
  const { labels, annotations } = metadata;
  return { metadata: { ...(labels && { labels }), ...(annotations && { annotations }) }, ...rest };
}

/** True when every field of `desired` has the same value in `live` (arrays element by element). */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) && live.length === desired.length && desired.every((d, i) => isSubset(d, live[i]))
    );
  }
  if (isMap(desired)) {
    return isMap(live) && Object.entries(desired).every(([key, value]) => isSubset(value, live[key]));
  }
  return desired === live;
}

function byGroupKindNamespaceName(a: ResourceStatus, b: ResourceStatus): number {
  const ka = [a.group ?? '', a.kind, a.namespace ?? '', a.name].join('\0');
  const kb = [b.group ?? '', b.kind, b.namespace ?? '', b.name].join('\0');
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
