import { Logger } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { StoredSummary } from '../fold/stored-summary';
import { SummaryFolder } from '../fold/summary-folder';
import { FencedError, type SummaryWriter } from '../store/summary-writer';
import { SourceTracker, WATCHES, type WatchName } from './source-tracker';
import type { UpstreamSources } from './upstream-sources';

/** Summaries (or removals) per pipelined write of a resync, and stored names per scan page. */
const RESYNC_BATCH = 500;

export interface CollectorOptions {
  identity: string;
  flushMs: number;
  heartbeatMs?: number;
  /**
   * After losing the lease, how long the watches keep running (writing nothing) in case the lease
   * comes back: a leader that lost it to a slow API server then resyncs from memory instead of
   * relisting every source. Default 30 s.
   */
  standbyMs?: number;
  /** Whether this replica still holds the lease, checked before every write. */
  isLeader: () => boolean;
}

/**
 * The leader's work: list-then-watch every source, fold the changes into per-app state, and
 * write what changed to Redis in pipelined batches every `flushMs`. A new leader first claims a
 * fencing epoch, waits for every source's initial list, writes everything and removes what the
 * sources no longer have (a full resync), and only then declares the data fresh. `stop()` ends
 * all writing at once; the epoch check inside Redis refuses whatever was already in flight.
 */
export class SummaryCollector {
  private readonly logger = new Logger(SummaryCollector.name);
  private subscriptions: Subscription[] = [];
  private timers: NodeJS.Timeout[] = [];
  private standby: NodeJS.Timeout | undefined;
  private watching = false;
  private watchGeneration = 0;
  private writing = false;
  private writeGeneration = 0;
  private epoch: string | undefined;
  private folder = new SummaryFolder();
  private tracker = new SourceTracker();
  private listed = new Set<WatchName>();
  private fresh = false;
  private busy = false;
  private readonly pending = new Map<string, StoredSummary | undefined>();
  private lastError = 0;
  private watchStartedAt = 0;
  /** When this term of leading began: how long a new leader takes to be fresh is counted from it. */
  private ledAt = 0;

  constructor(
    private readonly sources: UpstreamSources,
    private readonly writer: SummaryWriter,
    private readonly options: CollectorOptions,
  ) {}

  get running(): boolean {
    return this.writing;
  }

  /** Leads: watches (unless still watching from a recent term), resyncs, then writes changes. */
  start(): void {
    clearTimeout(this.standby);
    if (!this.watching) this.watch();
    if (this.writing) return;
    this.writing = true;
    const generation = ++this.writeGeneration;
    this.fresh = false;
    this.epoch = undefined;
    this.pending.clear();
    this.ledAt = performance.now();
    this.logger.log(`${this.options.identity} leads: collecting`);
    this.timers = [
      setInterval(() => void this.flush(generation), this.options.flushMs),
      setInterval(() => void this.heartbeat(generation), this.options.heartbeatMs ?? 1000),
    ];
  }

  /** Stops writing at once (lost lease); the watches stay on standby for a while. */
  stop(reason = 'stopped'): void {
    if (!this.writing) return;
    this.writing = false;
    this.writeGeneration += 1;
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.pending.clear();
    this.logger.warn(`${this.options.identity} stops writing: ${reason}`);
    clearTimeout(this.standby);
    this.standby = setTimeout(() => this.unwatch(), this.options.standbyMs ?? 30_000);
    this.standby.unref();
  }

  /** Stops everything (shutdown). */
  shutdown(): void {
    this.stop('shutting down');
    clearTimeout(this.standby);
    this.unwatch();
  }

  private watch(): void {
    this.watching = true;
    this.watchStartedAt = performance.now();
    const generation = ++this.watchGeneration;
    this.folder = new SummaryFolder();
    this.tracker = new SourceTracker();
    this.listed = new Set();
    const live = (): boolean => this.watching && this.watchGeneration === generation;
    const listen =
      (watch: WatchName) =>
      (connected: boolean, reason: string): void => {
        if (live()) this.tracker.set(watch, connected, reason);
      };
    const failed = (watch: WatchName) => (error: unknown) => {
      this.logger.error(`${watch} watch failed for good: ${(error as Error).message}`);
    };
    this.subscriptions = [
      this.sources.applications(listen('argocd')).subscribe({
        next: (n) => {
          if (!live()) return;
          if (n.kind === 'snapshot-page')
            this.folded('argocd', n.last, () => this.folder.applicationsPage(n));
          else if (n.kind === 'event') this.folder.application(n.event.type, n.event.application);
        },
        error: failed('argocd'),
      }),
      this.sources.workflows(listen('workflows')).subscribe({
        next: (n) => {
          if (!live()) return;
          if (n.kind === 'snapshot-page')
            this.folded('workflows', n.last, () => this.folder.workflowsPage(n));
          else if (n.kind === 'event') this.folder.workflow(n.event.type, n.event.object);
        },
        error: failed('workflows'),
      }),
      this.sources.pods(listen('pods')).subscribe({
        next: (n) => {
          if (!live()) return;
          if (n.kind === 'snapshot-page') this.folded('pods', n.last, () => this.folder.podsPage(n));
          else if (n.kind === 'event') this.folder.pod(n.event.type, n.event.object);
        },
        error: failed('pods'),
      }),
      this.sources.deployments(listen('deployments')).subscribe({
        next: (n) => {
          if (!live()) return;
          if (n.kind === 'snapshot-page')
            this.folded('deployments', n.last, () => this.folder.deploymentsPage(n));
          else if (n.kind === 'event') this.folder.deployment(n.event.type, n.event.object);
        },
        error: failed('deployments'),
      }),
      this.sources.warnings(listen('warnings')).subscribe({
        next: (n) => {
          if (!live()) return;
          if (n.kind === 'snapshot-page') this.folded('warnings', n.last, () => this.folder.warningsPage(n));
          else if (n.kind === 'event') this.folder.warning(n.event.type, n.event.object);
        },
        error: failed('warnings'),
      }),
    ];
  }

  private unwatch(): void {
    if (!this.watching) return;
    this.watching = false;
    this.watchGeneration += 1;
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    this.logger.log(`${this.options.identity} stops watching`);
  }

  /** Folds one page of a source's list; the last one completes that source's snapshot. */
  private folded(watch: WatchName, last: boolean, fold: () => void): void {
    fold();
    if (!last) return;
    // Which source a slow resync waits for: when its list's last page was folded.
    if (!this.listed.has(watch))
      this.logger.log(
        `${watch} listed ${Math.round(performance.now() - this.watchStartedAt)} ms after the watch started`,
      );
    this.listed.add(watch);
    // The last list completes the picture: resync now rather than at the next heartbeat.
    if (this.writing && !this.fresh && WATCHES.every((w) => this.listed.has(w)))
      void this.heartbeat(this.writeGeneration);
  }

  private live(generation: number): boolean {
    if (!this.writing || this.writeGeneration !== generation) return false;
    if (!this.options.isLeader()) {
      this.stop('lease not renewed in time');
      return false;
    }
    return true;
  }

  /** Writes the changes gathered since the last flush (after the first full resync). */
  private async flush(generation: number): Promise<void> {
    if (this.busy || !this.live(generation) || !this.fresh || this.epoch === undefined) return;
    for (const [app, summary] of this.folder.drain()) this.pending.set(app, summary);
    if (this.pending.size === 0) return;
    const batch = new Map(this.pending);
    this.busy = true;
    try {
      const upserts = [...batch.values()].filter((s): s is StoredSummary => s !== undefined);
      const removals = [...batch].filter(([, s]) => s === undefined).map(([app]) => app);
      await this.writer.write(this.epoch, upserts, removals);
      // Only what was written leaves `pending`: a change folded meanwhile stays for the next flush.
      for (const [app, summary] of batch) if (this.pending.get(app) === summary) this.pending.delete(app);
    } catch (error) {
      await this.failed(generation, error);
    } finally {
      this.busy = false;
    }
  }

  /** Every second: a resync when one is due, then the sources' state (the leader's sign of life). */
  private async heartbeat(generation: number): Promise<void> {
    if (this.busy || !this.live(generation)) return;
    this.busy = true;
    try {
      if (this.epoch === undefined) this.epoch = await this.writer.claim();
      if (!this.fresh) {
        if (!WATCHES.every((w) => this.listed.has(w))) return;
        await this.resync(generation, this.epoch);
      }
      const statuses = this.tracker.statuses(Date.now());
      await this.writer.setHash(
        this.epoch,
        'sources',
        Object.fromEntries(
          Object.entries(statuses).map(([source, status]) => [source, JSON.stringify(status)]),
        ),
      );
    } catch (error) {
      await this.failed(generation, error);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Writes every app the sources know and removes the rest; then the data is fresh. Both go in
   * bounded batches (a summary Map and one write of every app held them all at once): the apps
   * as the folder yields them, the removals as a scan of the stored names finds them.
   */
  private async resync(generation: number, epoch: string): Promise<void> {
    const started = performance.now();
    const folder = this.folder;
    folder.clearDirty();
    this.pending.clear();
    let apps = 0;
    let changed = 0;
    let batch: StoredSummary[] = [];
    for (const summary of folder.summaries()) {
      batch.push(summary);
      apps += 1;
      if (batch.length < RESYNC_BATCH) continue;
      changed += await this.writer.write(epoch, batch, []);
      batch = [];
      if (!this.live(generation) || folder !== this.folder) return;
    }
    changed += await this.writer.write(epoch, batch, []);
    let removed = 0;
    for await (const stored of this.writer.appNamePages(RESYNC_BATCH)) {
      const gone = stored.filter((app) => !folder.has(app));
      if (gone.length === 0) continue;
      changed += await this.writer.write(epoch, [], gone);
      removed += gone.length;
      if (!this.live(generation) || folder !== this.folder) return;
    }
    if (!this.live(generation)) return;
    const ms = Math.round(performance.now() - started);
    const sinceLead = Math.round(performance.now() - this.ledAt);
    this.fresh = true;
    await this.writer.setHash(epoch, 'meta', {
      leader: this.options.identity,
      epoch,
      freshAt: new Date().toISOString(),
      resyncMs: String(ms),
      freshAfterMs: String(sinceLead),
      apps: String(apps),
    });
    this.logger.log(
      `resynced ${apps} apps in ${ms} ms (${changed} records changed, ${removed} removed); ` +
        `data is fresh ${sinceLead} ms after taking the lead`,
    );
  }

  /**
   * A refused write means another epoch is current. When Redis lost the epoch altogether (it
   * restarted empty) and we still lead, we claim again and resync; otherwise someone else leads.
   */
  private async failed(generation: number, error: unknown): Promise<void> {
    if (!(error instanceof FencedError)) {
      const now = Date.now();
      if (now - this.lastError > 5000) {
        this.lastError = now;
        this.logger.warn(`writing to Redis failed, will retry: ${(error as Error).message}`);
      }
      return;
    }
    const current = await this.writer.currentEpoch().catch(() => 'unknown');
    if (!this.live(generation)) return;
    if (current === undefined) {
      this.logger.warn('Redis lost the summary (empty after a restart?): claiming again and resyncing');
      this.epoch = undefined;
      this.fresh = false;
      return;
    }
    if (current !== 'unknown')
      this.stop(`fenced: epoch ${current} is current, ours was ${this.epoch ?? '?'}`);
  }
}
