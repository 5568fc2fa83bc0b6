import type { KubeObject, WatchEvent } from '../../core/kube-object';
import type { Watch } from '../../core/object-store';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { stableJson } from '../../kubernetes/controllers/pod-template-hash';
import { WorkQueue } from '../../kubernetes/controllers/work-queue';
import { autoSyncOperation } from './app-auto-sync';
import { refreshSeededApp } from './app-seeded';
import { compareApp, type Comparison } from './app-compare';
import { finalizeDeletion } from './app-finalizer';
import { repoCredentialsFor } from '../shared/repo-credentials';
import { invalidSpecStatus, nextStatus, writeStatus } from './app-status';
import { specProblems } from './app-spec-conditions';
import {
  REFRESH_ANNOTATION,
  SEEDED_ANNOTATION,
  type ApplicationObject,
  type AppSource,
} from '../shared/app-types';
import { owningApp } from './owning-app';
import { RepoServer, type TargetState } from './repo-server';
import { patch } from '../shared/app-patch';
import { runSyncOperation } from './sync-operation';

/** Durations are simulated milliseconds (divided by the clock's speed factor). */
export interface ApplicationControllerOptions {
  /** Git refresh of every app, as `timeout.reconciliation` (default 180 s). */
  reconcileIntervalMs?: number;
  /** How long a sync operation stays Running (default 2 s). */
  syncDurationMs?: number;
  /** Apps reconciled at once (default 8). */
  concurrency?: number;
}

type Level = 'health' | 'full';

/**
 * The Argo CD application controller of the sandbox: compares each Application of the Argo CD
 * namespace with git (periodically, on spec changes and on the refresh annotation) and with the
 * live objects (whenever its Deployments or pods change), writes sync and health status only when
 * they change, runs sync operations (requested by the API server or by automated sync), and
 * cascades deletions through the resources finalizer. May be stopped and started again (a reset).
 * Applications written by the admin seed have no git behind them: only their health is kept.
 */
export class ApplicationController {
  private readonly options: Required<ApplicationControllerOptions>;
  private readonly queue: WorkQueue<Level>;
  /** Operations run apart from comparisons, as in Argo CD, so health keeps moving during a sync. */
  private readonly operations: WorkQueue<void>;
  /** The repo server generating every app's manifests (its Helm runs and cache are kept across resets). */
  readonly repoServer: RepoServer;
  private readonly targets = new Map<string, { key: string; state: TargetState }>();
  private readonly timers = new Map<string, () => void>();
  private readonly generations = new Map<string, number | undefined>();
  private readonly watches: Watch[] = [];
  /** Bumped by stop(): work begun before a stop sees it and drops its results. */
  private epoch = 0;

  constructor(
    private readonly ctx: SandboxContext,
    options: ApplicationControllerOptions = {},
  ) {
    this.options = {
      reconcileIntervalMs: 180_000,
      syncDurationMs: 2_000,
      concurrency: 8,
      ...options,
    };
    this.queue = new WorkQueue<Level>((name, level) => this.reconcile(name, level), {
      concurrency: this.options.concurrency,
      merge: (a, b) => (a === 'full' || b === 'full' ? 'full' : 'health'),
      onError: (name, error) => console.error(`application-controller: ${name}:`, error),
    });
    this.operations = new WorkQueue<void>((name) => this.operate(name), {
      concurrency: this.options.concurrency,
      onError: (name, error) => console.error(`application-controller: operation of ${name}:`, error),
    });
    this.repoServer = new RepoServer(ctx.config.dataDir, (url) => repoCredentialsFor(ctx, url));
  }

  start(): void {
    if (this.watches.length > 0) return;
    const { store, config } = this.ctx;
    this.queue.start();
    this.operations.start();
    this.watches.push(
      store.watch(Kinds.Application, { namespace: config.argocdNamespace }, (e) => this.onApplication(e)),
    );
    const from = store.resourceVersion;
    for (const kind of [Kinds.Deployment, Kinds.Pod]) {
      this.watches.push(
        store.watch(kind, { resourceVersion: from }, (e) => {
          const app = owningApp(store, e.object);
          if (app !== undefined) this.queue.add(app, 'health');
        }),
      );
    }
  }

  stop(): void {
    this.epoch += 1;
    for (const watch of this.watches.splice(0)) watch.close();
    this.queue.stop();
    this.operations.stop();
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.targets.clear();
    this.generations.clear();
  }

  private onApplication(event: WatchEvent): void {
    const app = event.object as ApplicationObject;
    const name = app.metadata.name ?? '';
    if (event.type === 'DELETED') return this.forget(name);
    const previous = this.generations.get(name);
    this.generations.set(name, app.metadata.generation);
    const full =
      event.type === 'ADDED' ||
      previous !== app.metadata.generation ||
      app.metadata.annotations?.[REFRESH_ANNOTATION] !== undefined ||
      app.metadata.deletionTimestamp !== undefined;
    this.queue.add(name, full ? 'full' : 'health');
    if (app.operation !== undefined && app.metadata.deletionTimestamp === undefined)
      this.operations.add(name, undefined);
  }

  private async operate(name: string): Promise<void> {
    const epoch = this.epoch;
    const app = this.get(name);
    if (app?.operation === undefined || app.metadata.deletionTimestamp !== undefined) return;
    const deps = {
      ctx: this.ctx,
      durationMs: this.options.syncDurationMs,
      isStopped: () => epoch !== this.epoch,
    };
    await runSyncOperation({ ...deps, load: (a, source, revision) => this.load(a, source, revision) }, app);
    this.queue.add(name, 'full');
  }

  private async reconcile(name: string, level: Level): Promise<void> {
    const epoch = this.epoch;
    let app = this.get(name);
    if (app === undefined) return;
    if (app.metadata.deletionTimestamp !== undefined) {
      finalizeDeletion(this.ctx, app);
      return this.forget(name);
    }
    if (app.metadata.annotations?.[SEEDED_ANNOTATION] === 'true') return refreshSeededApp(this.ctx, app);
    const problems = specProblems(this.ctx, app);
    if (problems.length > 0) {
      this.targets.delete(name);
      writeStatus(this.ctx, app, invalidSpecStatus(app, problems), level === 'full');
      if (level === 'full') this.schedule(name);
      return;
    }
    const source = app.spec.source;
    const key = stableJson({ source, destination: app.spec.destination, project: app.spec.project });
    let error: unknown;
    if (source !== undefined && (level === 'full' || this.targets.get(name)?.key !== key)) {
      const hard = app.metadata.annotations?.[REFRESH_ANNOTATION] === 'hard';
      try {
        this.targets.set(name, { key, state: await this.load(app, source, source.targetRevision, hard) });
      } catch (failure) {
        error = failure;
      }
      app = this.get(name);
      if (app === undefined || epoch !== this.epoch) return;
      level = 'full';
    }
    if (source === undefined) error = new Error('spec.source must be specified');
    const state = this.targets.get(name)?.state;
    const comparison = state === undefined ? previousComparison(app) : this.compare(name, state.objects);
    const status = nextStatus(this.ctx, app, {
      comparison,
      revision: state?.revision,
      sourceType: state?.sourceType,
      error,
      full: level === 'full',
    });
    writeStatus(this.ctx, app, status, level === 'full');
    const operation = autoSyncOperation(app, status);
    if (operation !== undefined) patch(this.ctx, name, (a) => (a.operation ??= operation));
    if (level === 'full') this.schedule(name);
  }

  private compare(name: string, objects: KubeObject[]): Comparison {
    return compareApp(this.ctx, name, objects);
  }

  /** Asks the repo server for the source's manifests at `revision` (cached by commit there). */
  private load(
    app: ApplicationObject,
    source: AppSource,
    revision: string | undefined,
    noCache = false,
  ): Promise<TargetState> {
    return this.repoServer.generate({
      appName: app.metadata.name ?? '',
      namespace: app.spec.destination?.namespace ?? '',
      project: app.spec.project ?? 'default',
      source,
      revision,
      noCache,
    });
  }

  private schedule(name: string): void {
    this.timers.get(name)?.();
    this.timers.set(
      name,
      this.ctx.clock.after(this.options.reconcileIntervalMs, () => this.queue.add(name, 'full')),
    );
  }

  private forget(name: string): void {
    this.targets.delete(name);
    this.generations.delete(name);
    this.timers.get(name)?.();
    this.timers.delete(name);
  }

  private get(name: string): ApplicationObject | undefined {
    return this.ctx.store.get(Kinds.Application, this.ctx.config.argocdNamespace, name) as
      ApplicationObject | undefined;
  }
}

/** Before any successful comparison: what the status already says. */
function previousComparison(app: ApplicationObject): Comparison {
  const status = app.status ?? {};
  return {
    resources: status.resources ?? [],
    sync: 'Unknown',
    health: status.health?.status ?? 'Unknown',
    images: status.summary?.images ?? [],
  };
}
