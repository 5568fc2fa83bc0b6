import type { Router } from '../../core/http-kit';
import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import type { AppProjectSpec } from '../shared/app-project';
import type { ArgoCdGateway } from './argo-cd-gateway';
import { recordAppEvent, sameJson } from './argo-cd-util';
import type { ArgoCdSettings } from './argocd-settings';
import { validateProject } from './project-validation';

/**
 * Argo CD's ProjectService (argoproj/argo-cd `server/project/project.go`), as far as the platform
 * needs it: `GET /api/v1/projects` lists the AppProjects the caller may `projects, get`;
 * `GET /api/v1/projects/{name}` answers one after the RBAC check (PermissionDenied naming the
 * request first, then Kubernetes' NotFound); `POST /api/v1/projects` creates one for a caller
 * with `projects, create` (by default only the admin role; never the platform's accounts), the
 * same spec again being a no-op and another spec needing `upsert` and `projects, update`.
 * Update, delete, roles and their tokens are not offered: platform teams apply projects with
 * kubectl (deploy/team).
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
    'POST',
    '/api/v1/projects',
    gateway.unary(async ({ body, caller, user }) => {
      const request = ((await body()) ?? {}) as { project?: KubeObject | null; upsert?: boolean };
      const project = request.project;
      if (project === undefined || project === null) {
        throw new GrpcError(GrpcCode.InvalidArgument, "missing payload 'project' in request");
      }
      const name = project.metadata?.name ?? '';
      const rbac = settings.rbac();
      rbac.enforceErr(caller?.claims, 'projects', 'create', name);
      const spec = (project.spec ?? {}) as AppProjectSpec;
      try {
        validateProject(spec);
      } catch (error) {
        if (error instanceof GrpcError)
          throw new GrpcError(error.code, `error validating project: ${error.message}`);
        throw error;
      }
      const existing = ctx.store.get(Kinds.AppProject, namespace, name);
      if (existing === undefined) {
        const created = ctx.store.create(Kinds.AppProject, {
          ...project,
          metadata: { ...project.metadata, namespace, resourceVersion: undefined },
        });
        recordAppEvent(ctx, created, 'ResourceCreated', `${user} created project`);
        return created;
      }
      if (request.upsert !== true) {
        if (!sameJson(existing.spec, spec)) {
          // Argo CD appends the differing keys as its diff library names them; the sandbox does not.
          throw new GrpcError(
            GrpcCode.InvalidArgument,
            'existing project spec is different; use upsert flag to force update',
          );
        }
        return existing;
      }
      rbac.enforceErr(caller?.claims, 'projects', 'update', name);
      const updated = ctx.store.mutate(Kinds.AppProject, namespace, name, (p) => (p.spec = spec));
      // logEvent records the upsert in the same words as a create.
      recordAppEvent(ctx, updated, 'ResourceCreated', `${user} created project`);
      return updated;
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
