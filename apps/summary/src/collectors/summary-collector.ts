import { Logger } from '@nestjs/common';
import type { StoredSummary } from '../fold/stored-summary';
import type { SummaryWriter } from '../store/summary-writer';
import { FencedWriter } from './fenced-writer';
import type { UpstreamSources } from './upstream-sources';
import { WatchSet } from './watch-set';

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
 * The leader's work: list-then-watch every source (a {@link WatchSet}), fold the changes into
 * per-app state, and write what changed to Redis in pipelined batches every `flushMs` (through a
 * {@link FencedWriter}). A new leader first claims a fencing epoch, waits for every source's
 * initial list, writes everything and removes what the sources no longer have (a full resync),
 * and only then declares the data fresh. `stop()` ends all writing at once; the epoch check inside
 * Redis refuses whatever was already in flight.
 */
export class SummaryCollector {
  private readonly logger = new Logger(SummaryCollector.name);
  private readonly fenced: FencedWriter;
  private watches: WatchSet | undefined;
  private timers: NodeJS.Timeout[] = [];
  private standby: NodeJS.Timeout | undefined;
  private writing = false;
  private writeGeneration = 0;
  private fresh = false;
  private busy = false;
  private readonly pending = new Map<string, StoredSummary | undefined>();
  /** When this term of leading began: how long a new leader takes to be fresh is counted from it. */
  private ledAt = 0;

  constructor(
    private readonly sources: UpstreamSources,
    writer: SummaryWriter,
    private readonly options: CollectorOptions,
  ) {
    this.fenced = new FencedWriter(writer, options.identity, this.logger);
  }

  get running(): boolean {
    return this.writing;
  }

  /** Leads: watches (unless still watching from a recent term), resyncs, then writes changes. */
  start(): void {
    clearTimeout(this.standby);
    if (this.watches === undefined) this.watch();
    if (this.writing) return;
    this.writing = true;
    const generation = ++this.writeGeneration;
    this.fresh = false;
    this.fenced.forget();
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
    const watches = new WatchSet(this.logger, () => {
      // The last list completes the picture: resync now rather than at the next heartbeat.
      if (this.writing && !this.fresh && watches.allListed) void this.heartbeat(this.writeGeneration);
    });
    this.watches = watches;
    watches.start(this.sources);
  }

  private unwatch(): void {
    if (this.watches === undefined) return;
    this.watches.close();
    this.watches = undefined;
    this.logger.log(`${this.options.identity} stops watching`);
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
    const watches = this.watches;
    if (this.busy || !this.live(generation) || !this.fresh || !this.fenced.claimed) return;
    if (watches === undefined) return;
    for (const [app, summary] of watches.folder.drain()) this.pending.set(app, summary);
    if (this.pending.size === 0) return;
    const batch = new Map(this.pending);
    this.busy = true;
    try {
      const upserts = [...batch.values()].filter((s): s is StoredSummary => s !== undefined);
      const removals = [...batch].filter(([, s]) => s === undefined).map(([app]) => app);
      await this.fenced.write(upserts, removals);
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
    const watches = this.watches;
    if (this.busy || !this.live(generation) || watches === undefined) return;
    this.busy = true;
    try {
      await this.fenced.claim();
      if (!this.fresh) {
        if (!watches.allListed) return;
        await this.resync(generation, watches);
      }
      await this.fenced.sources(watches.tracker.statuses(Date.now()));
    } catch (error) {
      await this.failed(generation, error);
    } finally {
      this.busy = false;
    }
  }

  /** A full resync from the watches' folder; then the data is fresh. */
  private async resync(generation: number, watches: WatchSet): Promise<void> {
    const folder = watches.folder;
    folder.clearDirty();
    this.pending.clear();
    const resynced = await this.fenced.resync(
      folder,
      () => this.live(generation) && this.watches === watches,
    );
    if (resynced === undefined || !this.live(generation)) return;
    this.fresh = true;
    await this.fenced.declareFresh(resynced, Math.round(performance.now() - this.ledAt));
  }

  private async failed(generation: number, error: unknown): Promise<void> {
    const failure = await this.fenced.failed(error, () => this.live(generation));
    if (failure.then === 'reclaim' || failure.then === 'resync') this.fresh = false;
    else if (failure.then === 'stop') this.stop(failure.reason);
  }
}
