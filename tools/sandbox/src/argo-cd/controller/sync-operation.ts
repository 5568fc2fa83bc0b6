import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { kubeTime } from '../../core/sim-clock';
import { ProjectRules } from '../shared/app-project';
import { appProject, projectNameOf } from '../shared/app-projects';
import { comparisonErrorMessage } from './app-conditions';
import { formatConditions } from '../shared/application-permissions';
import { DestinationError, destinationCluster } from '../shared/destination-cluster';
import { patch } from '../shared/app-patch';
import { inStatusOrder } from './app-status';
import {
  CONTROLLER_COMPONENT,
  SEEDED_ANNOTATION,
  type ApplicationObject,
  type AppSource,
  type HistoryEntry,
  type OperationState,
  type ResourceResult,
} from '../shared/app-types';
import type { TargetState } from './repo-server';
import { applyTargets, isSelected } from './sync-apply';
import { syncTasks } from './sync-tasks';

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
 * OperationCompleted events on the Application (OperationStarted too for automated syncs).
 */
export async function runSyncOperation(deps: SyncDeps, app: ApplicationObject): Promise<void> {
  const { ctx } = deps;
  const name = app.metadata.name ?? '';
  const operation = structuredClone(app.operation ?? {});
  const sync = operation.sync ?? {};
  const source = sync.source ?? app.spec.source;
  const running: OperationState = {
    operation,
    phase: 'Running',
    message: '',
    startedAt: kubeTime(new Date()),
  };
  const started = patch(
    ctx,
    name,
    (a) => (a.status = inStatusOrder({ ...a.status, operationState: running })),
  );
  if (started === undefined) return;
  // The API server records OperationStarted for the syncs it is asked for; automated ones are ours.
  if (operation.initiatedBy?.automated === true) {
    const message = `Initiated automated sync to '${sync.revision ?? source?.targetRevision ?? 'HEAD'}'`;
    ctx.events.record(started, 'Normal', 'OperationStarted', message, CONTROLLER_COMPONENT);
  }
  await ctx.clock.sleep(deps.durationMs / 2);
  if (deps.isStopped()) return;
  const executed = await execute(deps, app, running);
  const revision = executed.revision;
  let final = executed.final;
  await ctx.clock.sleep(deps.durationMs / 2);
  if (deps.isStopped()) return;

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
    a.status = inStatusOrder({
      ...a.status,
      ...(record ? { history: history.slice(-HISTORY_LIMIT) } : {}),
      operationState: final,
    });
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

/**
 * What `SyncAppState` does once the operation runs (argoproj/argo-cd `controller/sync.go`,
 * `controller/appcontroller.go` processRequestedAppOperation): load the app's project, generate
 * the manifests at the requested revision, refuse an app whose spec has error conditions, check
 * every task (see {@link syncTasks}) and refuse the whole sync when one is not valid, then apply.
 * Never throws.
 */
async function execute(
  deps: SyncDeps,
  app: ApplicationObject,
  running: OperationState,
): Promise<{ final: OperationState; revision: string }> {
  const sync = running.operation.sync ?? {};
  const source = sync.source ?? app.spec.source;
  const error = (message: string, revision = '') => ({
    final: { ...running, phase: 'Error' as const, message },
    revision,
  });
  if (source === undefined) {
    return {
      final: { ...running, phase: 'Failed', message: 'Invalid operation request: no source specified' },
      revision: '',
    };
  }
  if (app.metadata.annotations?.[SEEDED_ANNOTATION] === 'true') return seededSync(app, running, source);
  const project = appProject(deps.ctx, app);
  if (!(project instanceof ProjectRules)) {
    const reason =
      project.kind === 'missing'
        ? `appproject.argoproj.io ${JSON.stringify(projectNameOf(app))} not found`
        : project.message;
    return error(`Failed to load application project: ${reason}`);
  }
  let revision = '';
  try {
    const target = await deps.load(app, source, sync.revision ?? source.targetRevision);
    revision = target.revision;
    const blocking = (app.status?.conditions ?? []).filter(
      (c) => c.type === 'ComparisonError' || c.type === 'InvalidSpecError',
    );
    if (blocking.length > 0) return error(formatConditions(blocking), revision);
    let cluster;
    try {
      cluster = destinationCluster(deps.ctx, app.spec.destination);
    } catch (failure) {
      if (!(failure instanceof DestinationError)) throw failure;
      return error(`Failed to get destination cluster: ${failure.message}`, revision);
    }
    const options = [...(sync.syncOptions ?? []), ...(app.spec.syncPolicy?.syncOptions ?? [])];
    const selected = target.objects.filter((o) => isSelected(o, sync.resources));
    const tasks = syncTasks(deps.ctx, selected, {
      project,
      cluster,
      destinationNamespace: app.spec.destination?.namespace ?? '',
      createNamespace: options.includes('CreateNamespace=true'),
    });
    const syncResult = (resources: ResourceResult[]) => ({ resources, revision, source });
    if (tasks.invalid.length > 0) {
      const messages = [...new Set(tasks.invalid.map((r) => r.message))].sort();
      const message = `one or more synchronization tasks are not valid: ${messages.join('; ')}`;
      return {
        final: { ...running, phase: 'Failed', message, syncResult: syncResult(tasks.invalid) },
        revision,
      };
    }
    const results = applyTargets(deps.ctx, app.metadata.name ?? '', target.objects, {
      prune: sync.prune === true,
      dryRun: sync.dryRun === true,
      selected: sync.resources,
      managedNamespace: tasks.managedNamespace,
    });
    const failed = results.find((r) => r.status === 'SyncFailed');
    const message =
      failed !== undefined
        ? `one or more objects failed to apply, reason: ${failed.message}`
        : sync.dryRun === true
          ? 'successfully synced (dry run)'
          : 'successfully synced (all tasks run)';
    const phase = failed === undefined ? 'Succeeded' : 'Failed';
    return { final: { ...running, phase, message, syncResult: syncResult(results) }, revision };
  } catch (failure) {
    const final: OperationState = {
      ...running,
      phase: 'Error',
      message: comparisonErrorMessage(failure),
      syncResult: { revision, source },
    };
    return { final, revision };
  }
}

/**
 * Seeded apps have no repository: a sync "applies" what they list as deployed, unchanged, at the
 * requested revision (the API server resolved nothing for them either), so benchmarks can run
 * deploys against thousands of them.
 */
function seededSync(
  app: ApplicationObject,
  running: OperationState,
  source: AppSource,
): { final: OperationState; revision: string } {
  const revision = running.operation.sync?.revision ?? app.status?.sync?.revision ?? '';
  const resources: ResourceResult[] = (app.status?.resources ?? []).map((r) => ({
    group: r.group ?? '',
    version: r.version,
    kind: r.kind,
    namespace: r.namespace ?? '',
    name: r.name,
    status: 'Synced',
    message: `${r.kind.toLowerCase()}${r.group === undefined || r.group === '' ? '' : `.${r.group}`}/${r.name} unchanged`,
    hookPhase: 'Running',
    syncPhase: 'Sync',
  }));
  const syncResult = { resources, revision, source };
  return {
    final: { ...running, phase: 'Succeeded', message: 'successfully synced (all tasks run)', syncResult },
    revision,
  };
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
