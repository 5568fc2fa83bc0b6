import type { Logger } from '@nestjs/common';
import type { SummarySource } from '@platform/domain';
import type { StoredSummary } from '../fold/stored-summary';
import type { SummaryFolder } from '../fold/summary-folder';
import type { SourceStatus } from '../store/source-health';
import { FencedError, type SummaryWriter } from '../store/summary-writer';
import { LostWritesError } from '../store/write-sequence';

/** Summaries (or removals) per pipelined write of a resync, and stored names per scan page. */
const RESYNC_BATCH = 500;

/** What a resync wrote, for the record of when the data became fresh. */
export interface Resynced {
  apps: number;
  changed: number;
  removed: number;
  ms: number;
}

/**
 * What to do after a write failed: retry later, resync (Redis lost acknowledged writes), claim a
 * new epoch and resync, or stop leading.
 */
export type WriteFailure =
  { then: 'retry' } | { then: 'resync' } | { then: 'reclaim' } | { then: 'stop'; reason: string };

/**
 * The leader's writes to Redis, every one under its fencing epoch (claimed before the first):
 * Redis refuses a write whose epoch is no longer current, so a deposed leader cannot overwrite
 * its successor's data even with writes already in flight.
 */
export class FencedWriter {
  private epoch: string | undefined;
  /** The epoch this leader held in a Redis that went back: the next claim takes one above it. */
  private floor = 0;
  private lastError = 0;

  constructor(
    private readonly writer: SummaryWriter,
    private readonly identity: string,
    private readonly logger: Logger,
  ) {}

  get claimed(): boolean {
    return this.epoch !== undefined;
  }

  /** Forgets the epoch (a new term): the next {@link claim} takes a new one. */
  forget(): void {
    this.epoch = undefined;
    this.floor = 0;
  }

  async claim(): Promise<string> {
    if (this.epoch === undefined) this.epoch = await this.writer.claim(this.floor);
    return this.epoch;
  }

  /** Writes changed summaries and removals; only once claimed. */
  async write(upserts: StoredSummary[], removals: string[]): Promise<number> {
    return await this.writer.write(this.claimedEpoch(), upserts, removals);
  }

  /** The sources' state, every heartbeat: the leader's sign of life. */
  async sources(statuses: Record<SummarySource, SourceStatus>): Promise<void> {
    await this.writer.setHash(
      this.claimedEpoch(),
      'sources',
      Object.fromEntries(
        Object.entries(statuses).map(([source, status]) => [source, JSON.stringify(status)]),
      ),
    );
  }

  /**
   * Writes every app the folder knows and removes the rest. Both go in bounded batches (a
   * summary Map and one write of every app held them all at once): the apps as the folder yields
   * them, the removals as a scan of the stored names finds them. Undefined when `current` turned
   * false between batches (the lead or the folder changed): the resync is abandoned.
   */
  async resync(folder: SummaryFolder, current: () => boolean): Promise<Resynced | undefined> {
    const epoch = this.claimedEpoch();
    const started = performance.now();
    let apps = 0;
    let changed = 0;
    let batch: StoredSummary[] = [];
    for (const summary of folder.summaries()) {
      batch.push(summary);
      apps += 1;
      if (batch.length < RESYNC_BATCH) continue;
      changed += await this.writer.write(epoch, batch, []);
      batch = [];
      if (!current()) return undefined;
    }
    changed += await this.writer.write(epoch, batch, []);
    let removed = 0;
    for await (const stored of this.writer.appNamePages(RESYNC_BATCH)) {
      const gone = stored.filter((app) => !folder.has(app));
      if (gone.length === 0) continue;
      changed += await this.writer.write(epoch, [], gone);
      removed += gone.length;
      if (!current()) return undefined;
    }
    return { apps, changed, removed, ms: Math.round(performance.now() - started) };
  }

  /** Records that the data is fresh: who leads, under which epoch, and how long it took. */
  async declareFresh(resynced: Resynced, sinceLeadMs: number): Promise<void> {
    const epoch = this.claimedEpoch();
    await this.writer.setHash(epoch, 'meta', {
      leader: this.identity,
      epoch,
      freshAt: new Date().toISOString(),
      resyncMs: String(resynced.ms),
      freshAfterMs: String(sinceLeadMs),
      apps: String(resynced.apps),
    });
    this.logger.log(
      `resynced ${resynced.apps} apps in ${resynced.ms} ms (${resynced.changed} records changed, ` +
        `${resynced.removed} removed); data is fresh ${sinceLeadMs} ms after taking the lead`,
    );
  }

  /**
   * A refused write means another epoch is current. When Redis lost the epoch altogether (it
   * restarted empty) and we still lead (`leading`), we claim again and resync; otherwise someone
   * else leads. When it lost some writes only (write-sequence.ts), we resync under the same epoch.
   * Any other failure is retried (and logged at most every 5 s).
   */
  async failed(error: unknown, leading: () => boolean): Promise<WriteFailure> {
    if (error instanceof LostWritesError) {
      this.logger.warn(`${error.message}: resyncing`);
      return { then: 'resync' };
    }
    if (!(error instanceof FencedError)) {
      const now = Date.now();
      if (now - this.lastError > 5000) {
        this.lastError = now;
        this.logger.warn(`writing to Redis failed, will retry: ${(error as Error).message}`);
      }
      return { then: 'retry' };
    }
    const current = await this.writer.currentEpoch().catch(() => 'unknown');
    if (!leading()) return { then: 'retry' };
    if (current === undefined) {
      this.logger.warn('Redis lost the summary (empty after a restart?): claiming again and resyncing');
      this.epoch = undefined;
      return { then: 'reclaim' };
    }
    if (current === 'unknown') return { then: 'retry' };
    const ours = Number(this.epoch);
    if (Number(current) < ours) {
      // Epochs only grow: an older one current means Redis went back to before our claim (a
      // failover lost it, or a restart from an older snapshot), not that someone else leads.
      this.logger.warn(
        `Redis went back to epoch ${current}, ours was ${ours} (a failover lost our claim, or a ` +
          'restart from an older snapshot): claiming again and resyncing',
      );
      this.epoch = undefined;
      this.floor = ours;
      return { then: 'reclaim' };
    }
    return { then: 'stop', reason: `fenced: epoch ${current} is current, ours was ${this.epoch ?? '?'}` };
  }

  private claimedEpoch(): string {
    if (this.epoch === undefined) throw new Error('no fencing epoch claimed yet');
    return this.epoch;
  }
}
