import { ALL_KINDS, apiVersionOf } from '../../core/resource-kinds';
import { versionInfo } from '../../kubernetes/api/discovery';

/** What the application controller's cluster cache knows of the destination cluster. */
export interface ClusterInfo {
  /** The server version as `GetServerVersion` normalises it: `v<major>.<minor>.<patch>`. */
  serverVersion: string;
  /** `argo.APIResourcesToStrings(resources, true)`: every group/version and group/version/Kind, sorted. */
  apiVersions: string[];
}

/**
 * The sandbox cluster as Argo CD discovers it (gitops-engine `pkg/utils/kube/ctl.go`
 * GetServerVersion, argo-cd `util/argo/argo.go` APIResourcesToStrings): the repo server gets
 * these as `--kube-version` and `--api-versions`, so `.Capabilities` in a chart is this cluster's.
 */
export function sandboxClusterInfo(): ClusterInfo {
  const generic = parseGenericVersion(versionInfo().gitVersion ?? '');
  const versions = new Set<string>();
  for (const kind of ALL_KINDS) {
    versions.add(apiVersionOf(kind));
    versions.add(`${apiVersionOf(kind)}/${kind.kind}`);
  }
  return {
    serverVersion: generic === undefined ? '' : `v${generic}`,
    apiVersions: [...versions].sort(),
  };
}

/**
 * `k8s.io/apimachinery/pkg/util/version.ParseGeneric(v).String()`: the leading numbers of a
 * version (`v1.31.0+sandbox` → `1.31.0`), undefined when it does not start with major.minor.
 */
export function parseGenericVersion(text: string): string | undefined {
  const match = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (match === null) return undefined;
  const parts = [match[1], match[2], match[3]].filter((p): p is string => p !== undefined).map(Number);
  return parts.map(String).join('.');
}
