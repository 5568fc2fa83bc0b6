import { ALL_KINDS, type ResourceKind } from '../../core/resource-kinds';
import { hasStatusSubresource, shortNamesOf } from './kind-traits';

/**
 * The legacy discovery documents client libraries read to learn which resources exist.
 * The aggregated v2 format is not offered: clients fall back to these when the answer's
 * Content-Type is plain application/json.
 */

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** What `/version` answers: a 1.31 server, marked as the sandbox in the build metadata. */
export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '31',
    gitVersion: 'v1.31.0+sandbox',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-08-13T07:28:49Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

/** `GET /api`: the core group's versions. */
export function coreApiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis/{group}`. */
export function apiGroup(group: string): Record<string, unknown> {
  const versions = [...new Set(ALL_KINDS.filter((k) => k.group === group).map((k) => k.version))].map(
    (version) => ({
      groupVersion: `${group}/${version}`,
      version,
    }),
  );
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] };
}

/** `GET /apis`: every named group. */
export function apiGroupList(): Record<string, unknown> {
  const groups = [...new Set(ALL_KINDS.map((k) => k.group).filter((g) => g !== ''))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((group) => {
      const { name, versions, preferredVersion } = apiGroup(group);
      return { name, versions, preferredVersion };
    }),
  };
}

/** `GET /api/v1` or `GET /apis/{group}/{version}`: the resources and subresources served there. */
export function apiResourceList(group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const kind of ALL_KINDS.filter((k) => k.group === group && k.version === version)) {
    resources.push(resourceEntry(kind));
    if (hasStatusSubresource(kind))
      resources.push(subresourceEntry(kind, 'status', ['get', 'patch', 'update']));
    if (kind.plural === 'pods') resources.push(subresourceEntry(kind, 'log', ['get']));
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources,
  };
}

function resourceEntry(kind: ResourceKind): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: kind.plural,
    singularName: kind.kind.toLowerCase(),
    namespaced: kind.namespaced,
    kind: kind.kind,
    verbs: kind.plural === 'namespaces' ? VERBS.filter((v) => v !== 'deletecollection') : VERBS,
  };
  const shortNames = shortNamesOf(kind);
  if (shortNames !== undefined) entry.shortNames = shortNames;
  return entry;
}

function subresourceEntry(kind: ResourceKind, sub: string, verbs: string[]): Record<string, unknown> {
  return {
    name: `${kind.plural}/${sub}`,
    singularName: '',
    namespaced: kind.namespaced,
    kind: kind.kind,
    verbs,
  };
}
