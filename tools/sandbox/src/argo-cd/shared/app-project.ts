import type { KubeObject } from '../../core/kube-object';
import { pathMatch } from './path-match';
import { globMatch } from './rbac-glob';
import { normalizeGitUrl } from './repo-credentials';

export interface GroupKind {
  group: string;
  kind: string;
}

/** A `clusterResourceWhitelist`/`Blacklist` item: `name` (a filepath glob) is optional. */
export interface ClusterResourceItem extends GroupKind {
  name?: string;
}

export interface ProjectDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

/** The parts of an argoproj.io/v1alpha1 AppProject spec that the sandbox enforces. */
export interface AppProjectSpec {
  description?: string;
  sourceRepos?: string[];
  destinations?: ProjectDestination[];
  /** Unset: no cluster-scoped kind; empty: none either. */
  clusterResourceWhitelist?: ClusterResourceItem[] | null;
  clusterResourceBlacklist?: ClusterResourceItem[] | null;
  /** Unset (null): every namespaced kind; empty: none. */
  namespaceResourceWhitelist?: GroupKind[] | null;
  namespaceResourceBlacklist?: GroupKind[] | null;
  sourceNamespaces?: string[];
  permitOnlyProjectScopedClusters?: boolean;
  [key: string]: unknown;
}

export interface AppProjectObject extends KubeObject {
  spec: AppProjectSpec;
}

/** A cluster Argo CD knows, as a destination resolves to it. */
export interface DestinationCluster {
  server: string;
  name: string;
}

/**
 * What an AppProject permits, exactly as argoproj/argo-cd `pkg/apis/application/v1alpha1/
 * app_project_types.go` decides it (IsSourcePermitted, IsDestinationPermitted,
 * IsGroupKindNamePermitted, IsResourcePermitted, IsAppNamespacePermitted): patterns are
 * gobwas globs (`/` a separator for repositories), a leading `!` denies, and kinds are matched
 * with Go's `filepath.Match`.
 */
export class ProjectRules {
  constructor(readonly project: AppProjectObject) {}

  get name(): string {
    return this.project.metadata.name ?? '';
  }

  /** `IsSourcePermitted`: some pattern matches the normalized URL and no `!` pattern excludes it. */
  isSourcePermitted(repoURL: string): boolean {
    const source = normalizeGitUrl(repoURL);
    let anyMatched = false;
    for (const repo of this.project.spec.sourceRepos ?? []) {
      const normalized = isDeny(repo) ? `!${normalizeGitUrl(repo.slice(1))}` : normalizeGitUrl(repo);
      if (patternMatch(normalized, source, '/')) anyMatched = true;
      else if (isDeny(normalized)) return false;
    }
    return anyMatched;
  }

  /**
   * `IsDestinationPermitted`: the cluster (by server or name) and namespace match a destination,
   * and no `!` destination excludes them. Projects limited to project-scoped clusters permit
   * nothing here: the sandbox's one cluster belongs to no project.
   */
  isDestinationPermitted(cluster: DestinationCluster | undefined, namespace: string): boolean {
    if (cluster === undefined) return false;
    const matched = this.isDestinationMatched(cluster, namespace);
    return matched && this.project.spec.permitOnlyProjectScopedClusters !== true;
  }

  /** `IsGroupKindNamePermitted`: the white- and blacklist of the kind's scope. */
  isGroupKindNamePermitted(gk: GroupKind, name: string, namespaced: boolean): boolean {
    const { spec } = this.project;
    if (namespaced) {
      const whitelist = spec.namespaceResourceWhitelist;
      const blacklist = spec.namespaceResourceBlacklist ?? [];
      const whitelisted =
        whitelist === undefined || whitelist === null || (whitelist.length > 0 && inList(gk, whitelist));
      return whitelisted && !(blacklist.length > 0 && inList(gk, blacklist));
    }
    const whitelist = spec.clusterResourceWhitelist ?? [];
    const blacklist = spec.clusterResourceBlacklist ?? [];
    return (
      whitelist.length > 0 &&
      inNamedList(gk, name, whitelist) &&
      !(blacklist.length > 0 && inNamedList(gk, name, blacklist))
    );
  }

  /** `IsResourcePermitted`: its kind, and for a namespaced object its namespace as a destination. */
  isResourcePermitted(
    gk: GroupKind,
    name: string,
    namespace: string,
    cluster: DestinationCluster | undefined,
  ): boolean {
    if (!this.isGroupKindNamePermitted(gk, name, namespace !== '')) return false;
    return namespace === '' || this.isDestinationPermitted(cluster, namespace);
  }

  /** `IsAppNamespacePermitted`: apps in Argo CD's own namespace always; others by `sourceNamespaces`. */
  isAppNamespacePermitted(appNamespace: string, controllerNamespace: string): boolean {
    if (appNamespace === '' || appNamespace === controllerNamespace) return true;
    return (this.project.spec.sourceNamespaces ?? []).some((pattern) =>
      pattern.length > 1 && pattern.startsWith('/') && pattern.endsWith('/')
        ? regexMatches(pattern.slice(1, -1), appNamespace)
        : globMatch(pattern, appNamespace),
    );
  }

  private isDestinationMatched(cluster: DestinationCluster, namespace: string): boolean {
    let anyMatched = false;
    for (const item of this.project.spec.destinations ?? []) {
      const nameMatched = cluster.name !== '' && patternMatch(item.name ?? '', cluster.name);
      const serverMatched = cluster.server !== '' && patternMatch(item.server ?? '', cluster.server);
      const namespaceMatched = patternMatch(item.namespace ?? '', namespace);
      if ((serverMatched || nameMatched) && namespaceMatched) {
        anyMatched = true;
      } else if (
        (!nameMatched && isDeny(item.name ?? '')) ||
        (!serverMatched && isDeny(item.server ?? '') && namespaceMatched)
      ) {
        return false;
      } else if (!namespaceMatched && isDeny(item.namespace ?? '') && serverMatched) {
        return false;
      }
    }
    return anyMatched;
  }
}

/** The `globMatch` of app_project_types.go: negation allowed, `*` matches everything. */
function patternMatch(pattern: string, value: string, separators = ''): boolean {
  if (isDeny(pattern)) return !globMatch(pattern.slice(1), value, separators);
  return pattern === '*' || globMatch(pattern, value, separators);
}

function isDeny(pattern: string): boolean {
  return pattern.startsWith('!');
}

/** `isResourceInList`. */
function inList(gk: GroupKind, list: GroupKind[]): boolean {
  return list.some((item) => pathMatch(item.kind ?? '', gk.kind) && pathMatch(item.group ?? '', gk.group));
}

/** `isNamedResourceInList`: an item without a name matches every object of its kind. */
function inNamedList(gk: GroupKind, name: string, list: ClusterResourceItem[]): boolean {
  return list.some(
    (item) =>
      pathMatch(item.kind ?? '', gk.kind) &&
      pathMatch(item.group ?? '', gk.group) &&
      (item.name === undefined || item.name === '' || pathMatch(item.name, name)),
  );
}

/** Go's `regexp.MatchString` (unanchored); a pattern that does not compile matches nothing. */
function regexMatches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return false;
  }
}
