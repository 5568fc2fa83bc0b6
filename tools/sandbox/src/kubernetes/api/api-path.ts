import { ALL_KINDS, type ResourceKind } from '../../core/resource-kinds';

/** What a request path addresses on the Kubernetes API. */
export type ApiTarget =
  | { type: 'version' }
  | { type: 'health' }
  | { type: 'coreVersions' }
  | { type: 'groupList' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | { type: 'openApiIndex' }
  | { type: 'openApiDocument'; group: string; version: string }
  | ResourceTarget;

/** A collection (`name` undefined), one object, or one object's subresource. */
export interface ResourceTarget {
  type: 'resource';
  kind: ResourceKind;
  /** Undefined for cluster-scoped kinds and for cluster-wide lists of namespaced kinds. */
  namespace?: string;
  name?: string;
  subresource?: 'status' | 'log';
  /** The legacy `/watch/` path prefix was used. */
  watchPrefix: boolean;
}

const HEALTH = new Set(['healthz', 'livez', 'readyz']);

/**
 * Parses `/api/v1/...` and `/apis/{group}/{version}/...` the way the API server routes them;
 * undefined means 404.
 */
export function parseApiPath(pathname: string): ApiTarget | undefined {
  let segments: string[];
  try {
    segments = pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [root, a, b, ...rest] = segments;
  if (root === 'version' && a === undefined) return { type: 'version' };
  if (root === 'openapi' && a === 'v3') return openApiPath(b, rest);
  if (root !== undefined && HEALTH.has(root) && a === undefined) return { type: 'health' };
  if (root === 'api') {
    if (a === undefined) return { type: 'coreVersions' };
    if (a !== 'v1') return undefined;
    return resourcePath('', 'v1', b === undefined ? [] : [b, ...rest]);
  }
  if (root === 'apis') {
    if (a === undefined) return { type: 'groupList' };
    if (!ALL_KINDS.some((k) => k.group === a)) return undefined;
    if (b === undefined) return { type: 'group', group: a };
    return resourcePath(a, b, rest);
  }
  return undefined;
}

/** `/openapi/v3`, `/openapi/v3/api/v1`, `/openapi/v3/apis/{group}/{version}`. */
function openApiPath(root: string | undefined, rest: string[]): ApiTarget | undefined {
  if (root === undefined) return { type: 'openApiIndex' };
  if (root === 'api' && rest.length === 1)
    return { type: 'openApiDocument', group: '', version: rest[0] ?? '' };
  if (root === 'apis' && rest.length === 2) {
    return { type: 'openApiDocument', group: rest[0] ?? '', version: rest[1] ?? '' };
  }
  return undefined;
}

function resourcePath(group: string, version: string, input: string[]): ApiTarget | undefined {
  const kinds = ALL_KINDS.filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  if (input.length === 0) return { type: 'resourceList', group, version };
  const watchPrefix = input[0] === 'watch';
  const rest = watchPrefix ? input.slice(1) : input;
  const byPlural = (plural: string | undefined): ResourceKind | undefined =>
    kinds.find((k) => k.plural === plural);

  const namespacedKind = rest[0] === 'namespaces' && rest.length >= 3 ? byPlural(rest[2]) : undefined;
  if (namespacedKind?.namespaced === true) {
    if (rest.length > 5) return undefined;
    return target(namespacedKind, rest[1], rest[3], rest[4], watchPrefix);
  }
  const kind = byPlural(rest[0]);
  if (kind === undefined || rest.length > 3) return undefined;
  // `/api/v1/pods` lists pods of every namespace; `/api/v1/pods/x` is not a path.
  if (kind.namespaced && rest.length > 1) return undefined;
  return target(kind, undefined, rest[1], rest[2], watchPrefix);
}

function target(
  kind: ResourceKind,
  namespace: string | undefined,
  name: string | undefined,
  subresource: string | undefined,
  watchPrefix: boolean,
): ResourceTarget | undefined {
  if (subresource !== undefined && !isSubresourceOf(kind, subresource)) return undefined;
  return { type: 'resource', kind, namespace, name, subresource, watchPrefix };
}

/** `status` exists on every kind here, `log` only on pods. */
function isSubresourceOf(kind: ResourceKind, name: string): name is 'status' | 'log' {
  return name === 'status' || (name === 'log' && kind.plural === 'pods');
}
