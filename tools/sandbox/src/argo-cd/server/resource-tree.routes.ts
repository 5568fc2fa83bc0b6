import type { Router } from '../../core/http-kit';
import type { SandboxContext } from '../../core/sandbox-context';
import type { ApplicationAccess } from './application-access';
import type { ArgoCdGateway } from './argo-cd-gateway';
import { buildResourceTree, TREE_KINDS } from './resource-tree';

/** Changes arriving together (a rollout touches several objects) make one new tree. */
const COALESCE_MS = 20;

/**
 * `GET /api/v1/applications/{name}/resource-tree` and its stream, which sends a tree each time it
 * changes and, like the real one, no initial tree.
 */
export function resourceTreeRoutes(
  router: Router,
  gateway: ArgoCdGateway,
  ctx: SandboxContext,
  access: ApplicationAccess,
): void {
  router.on(
    'GET',
    '/api/v1/applications/:name/resource-tree',
    gateway.unary(({ params, query, caller }) => {
      const app = access.get(
        caller?.claims,
        'get',
        params.name ?? '',
        query.get('project') ?? '',
        query.get('appNamespace') ?? '',
      );
      return Promise.resolve(buildResourceTree(ctx, app));
    }),
  );

  router.on(
    'GET',
    '/api/v1/stream/applications/:name/resource-tree',
    gateway.stream(({ params, query, caller }, stream) => {
      const name = params.name ?? '';
      const project = query.get('project') ?? '';
      const appNamespace = query.get('appNamespace') ?? '';
      const claims = caller?.claims;
      const app = access.get(claims, 'get', name, project, appNamespace);
      let last = JSON.stringify(buildResourceTree(ctx, app));
      let pending: NodeJS.Timeout | undefined;
      const recompute = (): void => {
        pending = undefined;
        let current;
        try {
          current = buildResourceTree(ctx, access.get(claims, 'get', name, project, appNamespace));
        } catch {
          return; // the app is gone: its tree no longer changes
        }
        const text = JSON.stringify(current);
        if (text === last) return;
        last = text;
        stream.send(current);
      };
      const schedule = (): void => {
        pending ??= setTimeout(recompute, COALESCE_MS);
      };
      const version = ctx.store.resourceVersion;
      const watches = TREE_KINDS.map((kind) => ctx.store.watch(kind, { resourceVersion: version }, schedule));
      stream.onClose(() => {
        if (pending !== undefined) clearTimeout(pending);
        for (const watch of watches) watch.close();
      });
    }),
  );
}
