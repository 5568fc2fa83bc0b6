import { FieldSelector } from '../../core/field-selector';
import type { Router } from '../../core/http-kit';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import type { ApplicationAccess } from './application-access';
import type { ArgoCdGateway } from './argo-cd-gateway';
import { buildResourceTree } from './resource-tree';

/**
 * `GET /api/v1/applications/{name}/events` (ListResourceEvents): the Events of the Application
 * itself, or with resourceName/resourceUID/resourceNamespace those of one resource of its tree.
 */
export function applicationEventRoutes(
  router: Router,
  gateway: ArgoCdGateway,
  ctx: SandboxContext,
  access: ApplicationAccess,
): void {
  router.on(
    'GET',
    '/api/v1/applications/:name/events',
    gateway.unary(({ params, query, caller }) => {
      const app = access.get(
        caller?.claims,
        'get',
        params.name ?? '',
        query.get('project') ?? '',
        query.get('appNamespace') ?? '',
      );
      const resourceName = query.get('resourceName') ?? '';
      const resourceUID = query.get('resourceUID') ?? '';
      let involved = {
        name: app.metadata.name ?? '',
        uid: app.metadata.uid ?? '',
        namespace: app.metadata.namespace ?? '',
      };
      if (resourceName !== '' || resourceUID !== '') {
        const resourceNamespace = query.get('resourceNamespace') ?? '';
        const found = buildResourceTree(ctx, app).nodes.some(
          (n) =>
            n.uid === resourceUID && n.name === resourceName && (n.namespace ?? '') === resourceNamespace,
        );
        if (!found) {
          throw new GrpcError(
            GrpcCode.InvalidArgument,
            `${resourceName} not found as part of application ${params.name ?? ''}`,
          );
        }
        involved = { name: resourceName, uid: resourceUID, namespace: resourceNamespace };
      }
      const fieldSelector = FieldSelector.parse(
        `involvedObject.name=${involved.name},involvedObject.uid=${involved.uid},involvedObject.namespace=${involved.namespace}`,
      );
      const { items, resourceVersion } = ctx.store.list(Kinds.Event, {
        namespace: involved.namespace,
        fieldSelector,
      });
      return Promise.resolve({ metadata: { resourceVersion }, items });
    }),
  );
}
