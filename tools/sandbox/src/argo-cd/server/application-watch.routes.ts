import type { Router } from '../../core/http-kit';
import type { KubeObject } from '../../core/kube-object';
import { LabelSelector } from '../../core/label-selector';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import { projectOf, projectsOf, type ApplicationAccess } from './application-access';
import type { ArgoCdGateway } from './argo-cd-gateway';

/** Argo CD's broadcaster buffer per subscriber: a slower client loses events beyond it. */
const WATCH_BUFFER = 1000;

/**
 * `GET /api/v1/stream/applications`: `{"type","application"}` events. Without a resourceVersion, or
 * with `name`, every matching app is first sent as ADDED (sorted by namespace/name); a version only
 * filters out older apps, it does not replay history (Argo CD has none to replay). Identical
 * consecutive messages per app are suppressed by the forwarder, and the stream never ends by itself.
 */
export function applicationWatchRoutes(
  router: Router,
  gateway: ArgoCdGateway,
  ctx: SandboxContext,
  access: ApplicationAccess,
): void {
  router.on(
    'GET',
    '/api/v1/stream/applications',
    gateway.stream(
      ({ query, caller }, stream) => {
        let selector: LabelSelector;
        try {
          selector = LabelSelector.parse(query.get('selector') ?? '');
        } catch (error) {
          throw new GrpcError(
            GrpcCode.Unknown,
            `error parsing labels with selectors: ${(error as Error).message}`,
          );
        }
        const name = query.get('name') ?? '';
        const appNamespace = query.get('appNamespace') || ctx.config.argocdNamespace;
        const projects = new Set(projectsOf(query));
        // With force410 the sandbox acts as if the client had no version: everything again as ADDED,
        // which is what a client gets from a real server after a restart.
        const resourceVersion = ctx.faults.get('argocd').force410 ? '' : (query.get('resourceVersion') ?? '');
        const minVersion = /^\d+$/.test(resourceVersion) ? Number(resourceVersion) : 0;

        const permitted = (app: KubeObject): boolean => {
          if (projects.size > 0 && !projects.has(projectOf(app))) return false;
          const version = Number(app.metadata.resourceVersion);
          if (Number.isInteger(version) && version < minVersion) return false;
          if (name !== '' && (app.metadata.name !== name || app.metadata.namespace !== appNamespace))
            return false;
          // Apps the caller may not get are not sent (isApplicationPermitted).
          return (
            selector.matches(app.metadata.labels) && access.may(caller?.claims, 'applications', 'get', app)
          );
        };
        const send = (type: string, app: KubeObject): void => {
          if (permitted(app)) stream.send({ type, application: app });
        };

        const current = ctx.store.listShared(Kinds.Application, { labelSelector: selector });
        if (resourceVersion === '' || name !== '') {
          const sorted = [...current.items].sort((a, b) => (qualified(a) < qualified(b) ? -1 : 1));
          for (const app of sorted) send('ADDED', app);
        }
        const watch = ctx.store.watch(
          Kinds.Application,
          { resourceVersion: current.resourceVersion },
          (event) => send(event.type, event.object),
        );
        stream.onClose(() => watch.close());
      },
      {
        dedupKey: (result) => (result as { application?: KubeObject }).application?.metadata.name,
        maxBacklog: WATCH_BUFFER,
      },
    ),
  );
}

function qualified(app: KubeObject): string {
  return `${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''}`;
}
