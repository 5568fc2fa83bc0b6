import type { Router } from '../../core/http-kit';
import type { KubeObject } from '../../core/kube-object';
import { LabelSelector } from '../../core/label-selector';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { StoreError } from '../../core/store-errors';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import { projectOf, projectsOf, singleProject, type ApplicationAccess } from './application-access';
import type { ArgoCdGateway } from './argo-cd-gateway';
import { serverAppProject } from '../shared/app-projects';
import { validateAndNormalize } from './application-validation';
import { parseBool, recordAppEvent, sameJson, sourcesOf } from './argo-cd-util';
import { refreshAndWait } from './application-refresh';

/** List, get (with refresh), create (upsert/validate) and update of Applications. */
export function applicationRoutes(
  router: Router,
  gateway: ArgoCdGateway,
  ctx: SandboxContext,
  access: ApplicationAccess,
): void {
  const { store } = ctx;

  router.on(
    'GET',
    '/api/v1/applications',
    gateway.unary(
      ({ query, caller }) => {
        let selector: LabelSelector;
        try {
          selector = LabelSelector.parse(query.get('selector') ?? '');
        } catch (error) {
          throw new GrpcError(GrpcCode.Unknown, `error parsing the selector: ${(error as Error).message}`);
        }
        const name = query.get('name') ?? '';
        const projects = projectsOf(query);
        const repo = query.get('repo') ?? '';
        const appNamespace = query.get('appNamespace') ?? '';
        const { items, resourceVersion } = store.listShared(Kinds.Application, {
          namespace: appNamespace === '' ? undefined : appNamespace,
          labelSelector: selector,
        });
        const selected = items
          .filter((app) => name === '' || app.metadata.name === name)
          .filter((app) => projects.length === 0 || projects.includes(projectOf(app)))
          .filter((app) => repo === '' || sourcesOf(app).some((s) => s.repoURL === repo))
          .filter((app) => access.may(caller?.claims, 'applications', 'get', app))
          .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
        return Promise.resolve({ metadata: { resourceVersion }, items: selected });
      },
      { fields: true },
    ),
  );

  router.on(
    'GET',
    '/api/v1/applications/:name',
    gateway.unary(async (call) => {
      const { params, query, caller } = call;
      const app = access.get(
        caller?.claims,
        'get',
        params.name ?? '',
        singleProject(query),
        query.get('appNamespace') ?? '',
      );
      const refresh = query.get('refresh');
      if (refresh === null) return app;
      return refreshAndWait(ctx, app, refresh === 'hard' ? 'hard' : 'normal', call);
    }),
  );

  router.on(
    'POST',
    '/api/v1/applications',
    gateway.unary(async ({ query, body, user, caller }) => {
      const app = requireApplication(
        await body(),
        'error creating application: application is nil in request',
      );
      const claims = caller?.claims;
      access.require(claims, 'applications', 'create', app);
      const project = serverAppProject(ctx, app);
      app.metadata.namespace ||= ctx.config.argocdNamespace;
      await validateAndNormalize(ctx, {
        app,
        project,
        validate: query.get('validate') === null || parseBool(query.get('validate')),
        claims,
        access,
        wrap: 'error while validating and normalizing app',
      });
      // Operations only come through the Sync API: one set on create is dropped.
      delete app.operation;
      try {
        const created = store.create(Kinds.Application, app);
        recordAppEvent(ctx, created, 'ResourceCreated', `${user} created application`);
        return created;
      } catch (error) {
        if (!(error instanceof StoreError) || error.reason !== 'AlreadyExists') throw error;
      }
      const existing = store.mustGet(Kinds.Application, app.metadata.namespace, app.metadata.name ?? '');
      if (sameDefinition(existing, app)) return existing;
      if (!parseBool(query.get('upsert'))) {
        throw new GrpcError(
          GrpcCode.InvalidArgument,
          'existing application spec is different, use upsert flag to force update',
        );
      }
      access.require(caller?.claims, 'applications', 'update', app);
      return updateApp(ctx, existing, app, true, user);
    }),
  );

  router.on(
    'PUT',
    '/api/v1/applications/:name',
    gateway.unary(async ({ params, query, body, user, caller }) => {
      const app = requireApplication(
        await body(),
        'error updating application: application is nil in request',
      );
      const claims = caller?.claims;
      access.require(claims, 'applications', 'update', app);
      const existing = access.get(
        claims,
        'update',
        app.metadata.name || (params.name ?? ''),
        query.get('project') ?? '',
      );
      await validateAndNormalize(ctx, {
        app,
        project: serverAppProject(ctx, existing),
        validate: query.get('validate') === null || parseBool(query.get('validate')),
        claims,
        access,
        wrap: 'error validating and normalizing app',
      });
      return updateApp(ctx, existing, app, false, user);
    }),
  );
}

function requireApplication(body: unknown, nilMessage: string): KubeObject {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GrpcError(GrpcCode.Unknown, nilMessage);
  }
  const app = structuredClone(body) as KubeObject;
  app.metadata = { ...(app.metadata ?? {}) };
  // Server-owned fields a client may have copied from a live object.
  delete app.metadata.resourceVersion;
  delete app.metadata.deletionTimestamp;
  return app;
}

/** Create is idempotent when spec, labels, annotations and finalizers are equal. */
function sameDefinition(existing: KubeObject, app: KubeObject): boolean {
  return (
    sameJson(existing.spec, app.spec) &&
    sameJson(existing.metadata.labels, app.metadata.labels) &&
    sameJson(existing.metadata.annotations, app.metadata.annotations) &&
    sameJson(existing.metadata.finalizers, app.metadata.finalizers)
  );
}

/** `updateApp`: the new spec and finalizers; labels and annotations merged (upsert) or replaced. */
function updateApp(
  ctx: SandboxContext,
  existing: KubeObject,
  app: KubeObject,
  merge: boolean,
  user: string,
): KubeObject {
  const updated = ctx.store.mutate(
    Kinds.Application,
    existing.metadata.namespace,
    existing.metadata.name ?? '',
    (a) => {
      a.spec = app.spec;
      a.metadata.labels = merge ? { ...a.metadata.labels, ...app.metadata.labels } : app.metadata.labels;
      a.metadata.annotations = merge
        ? { ...a.metadata.annotations, ...app.metadata.annotations }
        : app.metadata.annotations;
      a.metadata.finalizers = app.metadata.finalizers;
    },
  );
  recordAppEvent(ctx, updated, 'ResourceUpdated', `${user} updated application spec`);
  return updated;
}
