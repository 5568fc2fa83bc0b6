import { Kinds } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import { kubeTime } from '../core/sim-clock';
import { StoreError } from '../core/store-errors';
import { comparisonErrorMessage } from './app-conditions';
import {
  CONTROLLER_COMPONENT,
  type ApplicationObject,
  type AppSource,
  type HistoryEntry,
  type OperationState,
} from './app-types';
import type { TargetState } from './render-source';
import { applyTargets } from './sync-apply';

export interface SyncDeps {
  ctx: SandboxContext;
  load: (app: ApplicationObject, source: AppSource, revision: string | undefined) => Promise<TargetState>;
  /** Simulated ms a sync takes, so that watchers see the Running phase. */
  durationMs: number;
  isStopped: () => boolean;
}

const HISTORY_LIMIT = 10;

/**
 * Runs the Application's requested `operation.sync` the way the application controller does:
 * operationState Running, manifests generated at the requested revision (a revision git cannot
 * resolve ends the operation in phase Error with a ComparisonError message), objects applied and
 * pruned, then Succeeded or Failed with `syncResult`, a history entry, `operation` cleared, and
 * OperationStarted / OperationCompleted events on the Application.
 */
export async function runSyncOperation(deps: SyncDeps, app: ApplicationObject): Promise<void> {
  const { ctx } = deps;
  const name = app.metadata.name ?? '';
  const operation = structuredClone(app.operation ?? {});
  const sync = operation.sync ?? {};
  const source = sync.source ?? app.spec.source;
  const startedAt = kubeTime(new Date());
  const running: OperationState = { operation, phase: 'Running', message: '', startedAt };
  const started = patch(ctx, name, (a) => (a.status = { ...a.status, operationState: running }));
  if (started === undefined) return;
  const requested = sync.revision ?? source?.targetRevision ?? 'HEAD';
  ctx.events.record(
    started,
    'Normal',
    'OperationStarted',
    operation.initiatedBy?.automated === true
      ? `Initiated automated sync to '${requested}'`
      : `initiated sync to ${requested}`,
    CONTROLLER_COMPONENT,
  );
  await ctx.clock.sleep(deps.durationMs / 2);
  if (deps.isStopped()) return;

  let final: OperationState;
  let revision = '';
  if (source === undefined) {
    final = { ...running, phase: 'Failed', message: 'Invalid operation request: no source specified' };
  } else {
    try {
      const target = await deps.load(app, source, sync.revision ?? source.targetRevision);
      revision = target.revision;
      const results = applyTargets(ctx, name, target.objects, {
        prune: sync.prune === true,
        dryRun: sync.dryRun === true,
        selected: sync.resources,
        reportNamespaces: [...(sync.syncOptions ?? []), ...(app.spec.syncPolicy?.syncOptions ?? [])].includes(
          'CreateNamespace=true',
        ),
      });
      const failed = results.find((r) => r.status === 'SyncFailed');
      final = {
        ...running,
        phase: failed === undefined ? 'Succeeded' : 'Failed',
        message:
          failed === undefined
            ? sync.dryRun === true
              ? 'successfully synced (dry run)'
              : 'successfully synced (all tasks run)'
            : `one or more objects failed to apply, reason: ${failed.message}`,
        syncResult: { resources: results, revision, source },
      };
    } catch (error) {
      final = {
        ...running,
        phase: 'Error',
        message: comparisonErrorMessage(error),
        syncResult: { revision, source },
      };
    }
    await ctx.clock.sleep(deps.durationMs / 2);
    if (deps.isStopped()) return;
  }
  const current = ctx.store.get(Kinds.Application, ctx.config.argocdNamespace, name) as
    ApplicationObject | undefined;
  if (current?.status?.operationState?.phase === 'Terminating') {
    final = { ...final, phase: 'Failed', message: 'Operation terminated' };
  }
  final.finishedAt = kubeTime(new Date());
  const record = final.phase === 'Succeeded' && sync.dryRun !== true && (sync.resources ?? []).length === 0;
  const done = patch(ctx, name, (a) => {
    delete a.operation;
    const history = a.status?.history ?? [];
    if (record && source !== undefined) history.push(historyEntry(history, revision, source, final));
    a.status = {
      ...a.status,
      ...(record ? { history: history.slice(-HISTORY_LIMIT) } : {}),
      operationState: final,
    };
  });
  if (done === undefined) return;
  const succeeded = final.phase === 'Succeeded';
  ctx.events.record(
    done,
    succeeded ? 'Normal' : 'Warning',
    'OperationCompleted',
    `Sync operation to ${revision} ${succeeded ? 'succeeded' : `failed: ${final.message ?? ''}`}`,
    CONTROLLER_COMPONENT,
  );
}

function historyEntry(
  history: HistoryEntry[],
  revision: string,
  source: AppSource,
  state: OperationState,
): HistoryEntry {
  const id = history.reduce((max, entry) => Math.max(max, entry.id), -1) + 1;
  return {
    revision,
    deployedAt: state.finishedAt ?? state.startedAt,
    id,
    source,
    deployStartedAt: state.startedAt,
    ...(state.operation.initiatedBy !== undefined ? { initiatedBy: state.operation.initiatedBy } : {}),
  };
}

/** Read-modify-write of an Application; undefined when it was deleted meanwhile. */
export function patch(
  ctx: SandboxContext,
  name: string,
  change: (app: ApplicationObject) => void,
): ApplicationObject | undefined {
  try {
    return ctx.store.mutate(Kinds.Application, ctx.config.argocdNamespace, name, (o) => {
      change(o as ApplicationObject);
      // The same source object lands in several places (comparedTo, syncResult, history); stored
      // as one aliased object it would change everywhere when a client edits one of them.
      const plain = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
      for (const key of Object.keys(o)) delete o[key];
      Object.assign(o, plain);
    }) as ApplicationObject;
  } catch (error) {
    if (error instanceof StoreError && error.reason === 'NotFound') return undefined;
    throw error;
  }
}
