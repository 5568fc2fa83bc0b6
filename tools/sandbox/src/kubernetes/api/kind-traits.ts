import { Kinds, type ResourceKind } from '../../core/resource-kinds';

/** Short names `kubectl` knows, as the real discovery documents list them. */
const SHORT_NAMES: Record<string, string[]> = {
  namespaces: ['ns'],
  pods: ['po'],
  events: ['ev'],
  configmaps: ['cm'],
  serviceaccounts: ['sa'],
  services: ['svc'],
  deployments: ['deploy'],
  replicasets: ['rs'],
  workflows: ['wf'],
  workflowtemplates: ['wftmpl'],
  applications: ['app', 'apps'],
  appprojects: ['appproj', 'appprojs'],
  resourcequotas: ['quota'],
  limitranges: ['limits'],
  networkpolicies: ['netpol'],
};

/**
 * Built-in kinds whose `status` is a subresource: writes to the main resource keep the stored
 * status, and only `/status` changes it. Argo's CRDs declare no status subresource, so their
 * controllers write status with ordinary updates.
 */
const STATUS_SUBRESOURCE = new Set<ResourceKind>([
  Kinds.Namespace,
  Kinds.Pod,
  Kinds.Service,
  Kinds.ResourceQuota,
  Kinds.Deployment,
  Kinds.ReplicaSet,
]);

/**
 * Kinds whose DELETE answers the deleted object; the others answer a Success Status (the
 * registry's `ReturnDeletedObject`; custom resources always return the object).
 */
const RETURNS_DELETED_OBJECT = new Set<ResourceKind>([Kinds.Namespace, Kinds.Pod, Kinds.Service]);

/**
 * Whether a PUT without `metadata.resourceVersion` overwrites blindly. Leases and custom resources
 * refuse it (422), so a leader election or a controller cannot win a race by omitting the version.
 */
export function allowsUnconditionalUpdate(kind: ResourceKind): boolean {
  return kind !== Kinds.Lease && !isCustomResource(kind);
}

export function hasStatusSubresource(kind: ResourceKind): boolean {
  return STATUS_SUBRESOURCE.has(kind);
}

export function returnsDeletedObject(kind: ResourceKind): boolean {
  return RETURNS_DELETED_OBJECT.has(kind) || isCustomResource(kind);
}

/** Custom resources are served as unstructured JSON: list items keep their apiVersion and kind. */
export function isCustomResource(kind: ResourceKind): boolean {
  return kind.group === 'argoproj.io';
}

export function shortNamesOf(kind: ResourceKind): string[] | undefined {
  return SHORT_NAMES[kind.plural];
}

export function listKindOf(kind: ResourceKind): string {
  return `${kind.kind}List`;
}
