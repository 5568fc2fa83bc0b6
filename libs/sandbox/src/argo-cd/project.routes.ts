import type { Router } from '../core/http-kit';
import { Kinds } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import type { ArgoCdGateway } from './argo-cd-gateway';
import type { ArgoCdSettings } from './argocd-settings';

/**
 * The read side of Argo CD's ProjectService (argoproj/argo-cd `server/project/project.go`):
 * `GET /api/v1/projects` lists the AppProjects the caller may `projects, get`, and
 * `GET /api/v1/projects/{name}` answers one after the RBAC check (PermissionDenied naming the
 * request first, then Kubernetes' NotFound). Projects are changed the way a platform team
 * changes them on a real cluster, through the Kubernetes API (`kubectl apply`), which the admin
 * role alone may do through Argo CD; the sandbox does not offer those routes.
 */
export function projectRoutes(
  router: Router,
  gateway: ArgoCdGateway,
  ctx: SandboxContext,
  settings: ArgoCdSettings,
): void {
  const namespace = ctx.config.argocdNamespace;

  router.on(
    'GET',
    '/api/v1/projects',
    gateway.unary(({ caller }) => {
      const rbac = settings.rbac();
      const { items, resourceVersion } = ctx.store.list(Kinds.AppProject, { namespace });
      const permitted = items.filter((p) =>
        rbac.enforce(caller?.claims, 'projects', 'get', p.metadata.name ?? ''),
      );
      return Promise.resolve({ metadata: { resourceVersion }, items: permitted });
    }),
  );

  router.on(
    'GET',
    '/api/v1/projects/:name',
    gateway.unary(({ params, caller }) => {
      const name = params.name ?? '';
      settings.rbac().enforceErr(caller?.claims, 'projects', 'get', name);
      return Promise.resolve(ctx.store.mustGet(Kinds.AppProject, namespace, name));
    }),
  );
}
