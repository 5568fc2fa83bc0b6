import type { KubeObject } from '../../core/kube-object';
import { ALL_KINDS, Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { kindOf } from './app-compare';
import type { DestinationCluster, ProjectRules } from '../shared/app-project';
import type { ResourceResult } from '../shared/app-types';
import { groupOf, versionOf } from '../shared/render-tracking';

/** What gitops-engine's `getSyncTasks` yields before anything is applied. */
export interface SyncTasks {
  /** The destination namespace Argo CD creates first (syncOption CreateNamespace=true), if it must. */
  managedNamespace: KubeObject | undefined;
  /** Tasks that are not valid: the whole sync is refused when there is one. */
  invalid: ResourceResult[];
}

/**
 * gitops-engine's task checks (argoproj/argo-cd `gitops-engine/pkg/sync/sync_context.go`
 * getSyncTasks and autoCreateNamespace, `controller/sync.go` validateSyncPermissions): with
 * CreateNamespace=true and no Namespace of that name among the targets, a missing destination
 * namespace becomes a PreSync task; then every task's kind must be served by the cluster, and
 * pass the project's permission check: a kind not permitted is `resource <group>:<kind> is not
 * permitted in project <name>`, a namespaced object outside the project's destinations
 * `namespace <ns> is not permitted in project '<name>'`.
 */
export function syncTasks(
  ctx: SandboxContext,
  targets: KubeObject[],
  options: {
    project: ProjectRules;
    cluster: DestinationCluster;
    destinationNamespace: string;
    createNamespace: boolean;
  },
): SyncTasks {
  const { project, cluster, destinationNamespace } = options;
  const managedNamespace =
    options.createNamespace &&
    destinationNamespace !== '' &&
    !targets.some(
      (t) =>
        groupOf(t.apiVersion ?? '') === '' &&
        t.kind === 'Namespace' &&
        t.metadata.name === destinationNamespace,
    ) &&
    ctx.store.get(Kinds.Namespace, undefined, destinationNamespace) === undefined
      ? namespaceObject(destinationNamespace)
      : undefined;
  const invalid: ResourceResult[] = [];
  const tasks = managedNamespace === undefined ? targets : [...targets, managedNamespace];
  for (const task of tasks) {
    const phase = task === managedNamespace ? 'PreSync' : 'Sync';
    // Tasks carry the destination namespace when they name none, cluster-scoped ones included.
    const namespace = task.metadata.namespace ?? (task === managedNamespace ? '' : destinationNamespace);
    const problem = taskProblem(task, namespace, project, cluster);
    if (problem !== undefined) invalid.push(failed(task, namespace, phase, problem));
  }
  return { managedNamespace, invalid };
}

function taskProblem(
  task: KubeObject,
  namespace: string,
  project: ProjectRules,
  cluster: DestinationCluster,
): string | undefined {
  const group = groupOf(task.apiVersion ?? '');
  const kind = kindOf(task);
  if (kind === undefined) return unservedKind(task);
  if (
    !project.isGroupKindNamePermitted({ group, kind: kind.kind }, task.metadata.name ?? '', kind.namespaced)
  ) {
    return `resource ${group}:${kind.kind} is not permitted in project ${project.name}`;
  }
  if (kind.namespaced && !project.isDestinationPermitted(cluster, namespace)) {
    return `namespace ${namespace} is not permitted in project '${project.name}'`;
  }
  return undefined;
}

/**
 * `ServerResourceForGroupVersionKind`: discovery's 404 for a group/version the cluster does not
 * serve, a NotFound for the kind when the group/version is served but not the kind.
 */
function unservedKind(task: KubeObject): string {
  const apiVersion = task.apiVersion ?? '';
  const group = groupOf(apiVersion);
  const version = versionOf(apiVersion);
  if (!ALL_KINDS.some((k) => k.group === group && k.version === version)) {
    return 'the server could not find the requested resource';
  }
  return `${task.kind ?? ''}${group === '' ? '' : `.${group}`} "" not found`;
}

function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function failed(task: KubeObject, namespace: string, syncPhase: string, message: string): ResourceResult {
  return {
    group: groupOf(task.apiVersion ?? ''),
    version: versionOf(task.apiVersion ?? ''),
    kind: task.kind ?? '',
    namespace,
    name: task.metadata.name ?? '',
    status: 'SyncFailed',
    message,
    syncPhase,
  };
}
