import { asObject, asString, isObject, type JsonObject } from './json';

/** Kinds that have no namespace: kustomize's namespace transformer leaves them alone. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'PriorityClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/**
 * kustomize's `namespace:`: sets metadata.namespace on namespaced objects, and the namespace of
 * (Cluster)RoleBinding subjects that name a ServiceAccount of this kustomization, which is what
 * binds the namespace-agnostic base's ServiceAccounts.
 */
export function setNamespace(objects: JsonObject[], namespace: string): void {
  const serviceAccounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map(nameOf));
  for (const object of objects) {
    const kind = asString(object.kind, 'kind');
    if (!isClusterScoped(kind)) asObject(object.metadata, 'metadata').namespace = namespace;
    if (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') continue;
    for (const subject of Array.isArray(object.subjects) ? object.subjects : []) {
      if (
        isObject(subject) &&
        subject.kind === 'ServiceAccount' &&
        serviceAccounts.has(String(subject.name))
      ) {
        subject.namespace = namespace;
      }
    }
  }
}

export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** kustomize's `images:`: rewrites the image of every container whose image name matches. */
export function setImages(objects: JsonObject[], rules: ImageRule[]): void {
  for (const object of objects) visitContainers(object, (container) => applyImageRules(container, rules));
}

function applyImageRules(container: JsonObject, rules: ImageRule[]): void {
  if (typeof container.image !== 'string') return;
  const { name, tag, digest } = parseImage(container.image);
  const rule = rules.find((r) => r.name === name);
  if (!rule) return;
  const newName = rule.newName ?? name;
  if (rule.digest !== undefined) container.image = `${newName}@${rule.digest}`;
  else if (rule.newTag !== undefined) container.image = `${newName}:${rule.newTag}`;
  else
    container.image = `${newName}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
}

/** Splits `registry:5000/repo/name:tag@sha256:...`; a colon before the last slash is a port. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest = image, digest] = image.split('@', 2);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > lastSlash) {
    return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  }
  return { name: withoutDigest, digest };
}

function visitContainers(value: unknown, visit: (container: JsonObject) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visitContainers(item, visit);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
      for (const container of child) if (isObject(container)) visit(container);
    } else {
      visitContainers(child, visit);
    }
  }
}

export function nameOf(object: JsonObject): string {
  return asString(asObject(object.metadata, 'metadata').name, 'metadata.name');
}
