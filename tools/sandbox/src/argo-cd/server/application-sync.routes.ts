import type { Router } from '../../core/http-kit';
import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import type { ApplicationAccess } from './application-access';
import type { ArgoCdGateway } from './argo-cd-gateway';
import { SEEDED_ANNOTATION } from '../shared/app-types';
import { recordAppEvent, sourcesOf } from './argo-cd-util';
import { resolveRevision } from '../shared/git-remote';
import { repoCredentialsFor } from '../shared/repo-credentials';

interface SyncRequest {
  name?: string;
  revision?: string;
  dryRun?: boolean;
  prune?: boolean;
  strategy?: Record<string, unknown>;
  resources?: unknown[];
  syncOptions?: { items?: string[] };
  retryStrategy?: Record<string, unknown>;
  infos?: unknown[];
  project?: string;
  appNamespace?: string;
}

/** `POST /api/v1/applications/{name}/sync` and `DELETE .../operation` (terminate). */
export function applicationSyncRoutes(
  router: Router,
  gateway: ArgoCdGateway,
  ctx: SandboxContext,
  access: ApplicationAccess,
): void {
  router.on(
    'POST',
    '/api/v1/applications/:name/sync',
    gateway.unary(async ({ params, body, user, caller }) => {
      const request = ((await body()) ?? {}) as SyncRequest;
      const claims = caller?.claims;
      const app = access.get(
        claims,
        'get',
        params.name ?? '',
        request.project ?? '',
        request.appNamespace ?? '',
      );
      access.require(claims, 'applications', 'sync', app);
      if (app.metadata.deletionTimestamp !== undefined) {
        throw new GrpcError(GrpcCode.FailedPrecondition, 'application is deleting');
      }
      const source = sourcesOf(app)[0] ?? {};
      const target = source.targetRevision || 'HEAD';
      const requested = request.revision ?? '';
      const automated = (app.spec as { syncPolicy?: { automated?: unknown } } | undefined)?.syncPolicy
        ?.automated;
      if (
        automated !== undefined &&
        automated !== null &&
        request.dryRun !== true &&
        requested !== '' &&
        requested !== target
      ) {
        throw new GrpcError(
          GrpcCode.FailedPrecondition,
          `Cannot sync to ${requested}: auto-sync currently set to ${source.targetRevision ?? ''}`,
        );
      }
      const ambiguous = requested || source.targetRevision || '';
      let revision = ambiguous || 'HEAD';
      // Seeded apps (benchmarks) have no repository behind them to resolve against.
      if (app.metadata.annotations?.[SEEDED_ANNOTATION] !== 'true') {
        try {
          revision = await resolveRevision(
            source.repoURL ?? '',
            ambiguous,
            repoCredentialsFor(ctx, source.repoURL ?? '', (app.spec as { project?: string }).project),
          );
        } catch (error) {
          throw new GrpcError(GrpcCode.Unknown, `error resolving repo revision: ${(error as Error).message}`);
        }
      }
      const updated = setOperation(ctx, app, buildOperation(app, request, revision, user));
      const shown = ambiguous === '' || ambiguous === revision ? revision : `${ambiguous} (${revision})`;
      const partial = (request.resources ?? []).length > 0 ? 'partial ' : '';
      recordAppEvent(ctx, updated, 'OperationStarted', `${user} initiated ${partial}sync to ${shown}`);
      return updated;
    }),
  );

  router.on(
    'DELETE',
    '/api/v1/applications/:name/operation',
    gateway.unary(({ params, query, caller }) => {
      const app = access.get(
        caller?.claims,
        'sync',
        params.name ?? '',
        query.get('project') ?? '',
        query.get('appNamespace') ?? '',
      );
      const state = (app.status as { operationState?: unknown } | undefined)?.operationState;
      if (app.operation === undefined || app.operation === null || state === undefined || state === null) {
        throw new GrpcError(
          GrpcCode.InvalidArgument,
          'Unable to terminate operation. No operation is in progress',
        );
      }
      ctx.store.mutate(Kinds.Application, app.metadata.namespace, app.metadata.name ?? '', (a) => {
        const status = a.status as { operationState: { phase?: string } };
        status.operationState.phase = 'Terminating';
      });
      return Promise.resolve({});
    }),
  );
}

/** The Operation the Sync API writes (Go omits false and empty fields). */
function buildOperation(
  app: KubeObject,
  request: SyncRequest,
  revision: string,
  user: string,
): Record<string, unknown> {
  const policy = (app.spec as { syncPolicy?: { syncOptions?: string[]; retry?: unknown } } | undefined)
    ?.syncPolicy;
  const syncOptions = request.syncOptions?.items ?? policy?.syncOptions;
  const retry = request.retryStrategy ?? policy?.retry;
  const sync: Record<string, unknown> = { revision };
  if (request.prune === true) sync.prune = true;
  if (request.dryRun === true) sync.dryRun = true;
  if (syncOptions !== undefined && syncOptions.length > 0) sync.syncOptions = syncOptions;
  if (request.strategy !== undefined && request.strategy !== null) sync.syncStrategy = request.strategy;
  if (request.resources !== undefined && request.resources.length > 0) sync.resources = request.resources;
  const operation: Record<string, unknown> = { sync, initiatedBy: { username: user } };
  if (request.infos !== undefined && request.infos.length > 0) operation.info = request.infos;
  if (retry !== undefined && retry !== null) operation.retry = retry;
  return operation;
}

/**
 * `argo.SetAppOperation`: refuses while another operation is set (the controller clears it when
 * the operation ends), and clears the last operation state. The server wraps the refusal
 * (`fmt.Errorf("error setting app operation: %w", err)`) and gRPC keeps the wrapped status's code
 * with the whole text as the message.
 */
function setOperation(ctx: SandboxContext, app: KubeObject, operation: Record<string, unknown>): KubeObject {
  if (app.operation !== undefined && app.operation !== null) {
    throw new GrpcError(
      GrpcCode.FailedPrecondition,
      'error setting app operation: rpc error: code = FailedPrecondition desc = another operation is already in progress',
    );
  }
  return ctx.store.mutate(Kinds.Application, app.metadata.namespace, app.metadata.name ?? '', (a) => {
    a.operation = operation;
    const status = (a.status ?? {}) as Record<string, unknown>;
    delete status.operationState;
    a.status = status;
  });
}
