import type { Router } from '../../core/http-kit';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import type { ApplicationAccess } from './application-access';
import type { ArgoCdGateway } from './argo-cd-gateway';
import { RESOURCES_FINALIZER } from '../shared/app-types';
import { parseBool, recordAppEvent, sameJson } from './argo-cd-util';

const FOREGROUND_FINALIZER = RESOURCES_FINALIZER;
const BACKGROUND_FINALIZER = `${RESOURCES_FINALIZER}/background`;

/**
 * `DELETE /api/v1/applications/{name}`: with cascade (the default) the propagation policy's
 * finalizer is set first, so the app stays until the controller has deleted its resources;
 * without, the finalizers go and the app is removed at once.
 */
export function applicationDeleteRoutes(
  router: Router,
  gateway: ArgoCdGateway,
  ctx: SandboxContext,
  access: ApplicationAccess,
): void {
  const { store } = ctx;
  router.on(
    'DELETE',
    '/api/v1/applications/:name',
    gateway.unary(({ params, query, user, caller }) => {
      const app = access.get(
        caller?.claims,
        'get',
        params.name ?? '',
        query.get('project') ?? '',
        query.get('appNamespace') ?? '',
      );
      access.require(caller?.claims, 'applications', 'delete', app);
      const cascadeText = query.get('cascade');
      const policy = query.get('propagationPolicy') ?? '';
      const cascade = cascadeText === null || parseBool(cascadeText);
      if (!cascade && policy !== '') {
        throw new GrpcError(
          GrpcCode.InvalidArgument,
          'cannot set propagation policy when cascading is disabled',
        );
      }
      const finalizers = new Set(app.metadata.finalizers ?? []);
      if (cascade) {
        const wanted = policyFinalizer(policy);
        if (!finalizers.has(wanted)) {
          finalizers.delete(FOREGROUND_FINALIZER);
          finalizers.delete(BACKGROUND_FINALIZER);
          finalizers.add(wanted);
        }
      } else {
        finalizers.delete(FOREGROUND_FINALIZER);
        finalizers.delete(BACKGROUND_FINALIZER);
      }
      const namespace = app.metadata.namespace;
      const name = app.metadata.name ?? '';
      if (!sameJson([...finalizers], app.metadata.finalizers ?? [])) {
        store.mutate(Kinds.Application, namespace, name, (a) => (a.metadata.finalizers = [...finalizers]));
      }
      store.delete(Kinds.Application, namespace, name);
      recordAppEvent(ctx, app, 'ResourceDeleted', `${user} deleted application`);
      return Promise.resolve({});
    }),
  );
}

function policyFinalizer(policy: string): string {
  switch (policy.toLowerCase()) {
    case '':
    case 'foreground':
      return FOREGROUND_FINALIZER;
    case 'background':
      return BACKGROUND_FINALIZER;
    default:
      throw new GrpcError(GrpcCode.InvalidArgument, `invalid propagation policy: ${policy}`);
  }
}
