import type { KubeObject } from '../core/kube-object';
import { Kinds } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import { GrpcCode, GrpcError } from '../grpc-gateway';

export const PERMISSION_DENIED = 'permission denied';

/**
 * `getAppEnforceRBAC`: the sandbox's admin may do everything, but existence is still not leaked the
 * way Argo CD words it: without a project a missing app is 403 `permission denied`; with one it is
 * 404, as is an app that lives in another project.
 */
export function getAppEnforced(
  ctx: SandboxContext,
  name: string,
  project = '',
  appNamespace = '',
): KubeObject {
  const app = ctx.store.get(Kinds.Application, appNamespace || ctx.config.argocdNamespace, name);
  if (app === undefined) {
    if (project === '') throw new GrpcError(GrpcCode.PermissionDenied, PERMISSION_DENIED);
    throw appNotFound(name);
  }
  if (project !== '' && projectOf(app) !== project) throw appNotFound(name);
  return app;
}

export function appNotFound(name: string): GrpcError {
  return new GrpcError(GrpcCode.NotFound, `applications.argoproj.io "${name}" not found`);
}

/** The effective project (`default` when unset). */
export function projectOf(app: KubeObject): string {
  const project = (app.spec as { project?: unknown } | undefined)?.project;
  return typeof project === 'string' && project !== '' ? project : 'default';
}

/** `getProjectsFromApplicationQuery`: `projects` when given, else `project` (both repeatable). */
export function projectsOf(query: URLSearchParams): string[] {
  const projects = query.getAll('projects');
  return (projects.length > 0 ? projects : query.getAll('project')).filter((p) => p !== '');
}

/** The single project of a query, InvalidArgument when several are given (Get's rule). */
export function singleProject(query: URLSearchParams): string {
  const projects = projectsOf(query);
  if (projects.length > 1) {
    throw new GrpcError(
      GrpcCode.InvalidArgument,
      'multiple projects specified - the get endpoint accepts either zero or one project',
    );
  }
  return projects[0] ?? '';
}
