import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import { projectNameOf, serverAppProject } from '../shared/app-projects';
import type { ArgoCdSettings } from './argocd-settings';
import type { RbacClaims } from './rbac-enforcer';

export const PERMISSION_DENIED = 'permission denied';

/** The RBAC resources of application routes. */
export type AppResource = 'applications' | 'logs';

/**
 * Who may see and change which Application, as the Argo CD API server decides it: every route
 * checks the caller's RBAC on `<project>/<app>` (`<project>/<namespace>/<app>` outside the
 * control plane's namespace), and existence is not leaked (`getAppEnforceRBAC`).
 */
export class ApplicationAccess {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly settings: ArgoCdSettings,
  ) {}

  /**
   * `getAppEnforceRBAC`: the app when the caller may `action` it. Without a project a missing or
   * forbidden app is the bare 403 `permission denied`; with one, a forbidden project is 403 and a
   * missing, forbidden or other-project app is 404. An app whose project is missing (or does not
   * accept its namespace) is InvalidArgument, as `getAppProject` words it.
   */
  get(
    claims: RbacClaims | undefined,
    action: string,
    name: string,
    project = '',
    appNamespace = '',
  ): KubeObject {
    const namespace = appNamespace || this.ctx.config.argocdNamespace;
    const rbac = this.settings.rbac();
    if (
      project !== '' &&
      !rbac.enforce(claims, 'applications', action, this.rbacName(project, namespace, name))
    ) {
      throw permissionDenied();
    }
    const app = this.ctx.store.get(Kinds.Application, namespace, name);
    if (app === undefined) {
      if (project === '') throw permissionDenied();
      throw appNotFound(name);
    }
    if (!rbac.enforce(claims, 'applications', action, this.rbacNameOf(app))) {
      if (project !== '') throw appNotFound(name);
      throw permissionDenied();
    }
    if (project !== '' && projectOf(app) !== project) throw appNotFound(name);
    // Every route reads the app's project too: a missing one fails them all, vaguely.
    serverAppProject(this.ctx, app);
    return app;
  }

  /** `Enforce`: whether the caller may `action` the app (lists and watches skip what it may not get). */
  may(claims: RbacClaims | undefined, resource: AppResource, action: string, app: KubeObject): boolean {
    return this.settings.rbac().enforce(claims, resource, action, this.rbacNameOf(app));
  }

  /** `EnforceErr`: PermissionDenied naming the request, the subject and its token's issue time. */
  require(claims: RbacClaims | undefined, resource: AppResource, action: string, app: KubeObject): void {
    this.settings.rbac().enforceErr(claims, resource, action, this.rbacNameOf(app));
  }

  /** `Application.RBACName`. */
  rbacNameOf(app: KubeObject): string {
    return this.rbacName(projectOf(app), app.metadata.namespace ?? '', app.metadata.name ?? '');
  }

  private rbacName(project: string, namespace: string, name: string): string {
    const home = this.ctx.config.argocdNamespace;
    return namespace !== '' && namespace !== home ? `${project}/${namespace}/${name}` : `${project}/${name}`;
  }
}

function permissionDenied(): GrpcError {
  return new GrpcError(GrpcCode.PermissionDenied, PERMISSION_DENIED);
}

export function appNotFound(name: string): GrpcError {
  return new GrpcError(GrpcCode.NotFound, `applications.argoproj.io "${name}" not found`);
}

/** The effective project (`default` when unset). */
export const projectOf = projectNameOf;

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
