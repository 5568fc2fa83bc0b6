import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createRedisClient, type RedisClient, type RedisSettings } from '@platform/service-runtime';
import type { SourcesCache } from '../store/sources-cache';
import type { SummaryKeys } from '../store/summary-keys';
import { compareIds, parseEntry, type ChangeEntry, type RawEntry } from './change-entry';
import { changeEvents, type ChangeEvent } from './change-events';

/** What the feed tells its listeners. */
export type FeedNotice =
  | { kind: 'events'; events: ChangeEvent[] }
  /** Changes may have been lost (Redis restarted empty, or the feed fell behind the cap): reload. */
  | { kind: 'lost'; position: string; reason: string };

export type FeedListener = (notice: FeedNotice) => void;

/** Entries one XREAD returns at most; their records are read with one MGET. */
const BATCH = 500;
/**
 * The smallest cap SUMMARY_CHANGES_MAXLEN allows: a trim never leaves fewer entries, so a batch
 * smaller than this cannot have had entries trimmed away before it (no check needed).
 */
const MIN_KEPT = 100;
/** XREAD blocks this long at most, so that a stop is noticed. */
const BLOCK_MS = 5_000;
const RETRY_MS = { initial: 200, max: 2_000 };

/**
 * The replica's one reader of the `changes` stream: a blocking XREAD loop on a connection of its
 * own (a blocked connection can do nothing else), which reads each batch's records once and hands
 * the encoded events to every SSE client of this replica. After a Redis outage it checks that the
 * entry it stopped at still exists: if not, Redis lost the stream (restarted empty) and clients
 * are told to reload rather than silently missing what was lost.
 */
export class SummaryChangeFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(SummaryChangeFeed.name);
  private readonly reader: RedisClient;
  private readonly listeners = new Set<FeedListener>();
  private stopped = false;
  private readonly done: Promise<void>;
  private markStarted: () => void = () => undefined;
  /**
   * Resolved once the loop knows where it starts reading. A client's catch-up must be read after
   * that: the entries after the catch-up are then all read by the loop, none falls in between.
   */
  readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  constructor(
    settings: RedisSettings,
    /** The shared connection, for the non-blocking reads (MGET, XRANGE). */
    private readonly redis: RedisClient,
    private readonly keys: SummaryKeys,
    private readonly sources: SourcesCache,
  ) {
    // Its own connection: XREAD BLOCK holds it. It waits for Redis rather than failing at once.
    this.reader = createRedisClient(settings, 'summary-changes', 'subscriber');
    this.done = this.run();
  }

  /** Adds a listener; returns what removes it. */
  listen(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    this.reader.disconnect();
    await this.done;
  }

  /** The id of the newest entry ('0-0' when the stream is empty or absent). */
  async tail(): Promise<string> {
    const [last] = (await this.redis.xrevrange(this.keys.changes, '+', '-', 'COUNT', 1)) as RawEntry[];
    return last?.[0] ?? '0-0';
  }

  private async run(): Promise<void> {
    let cursor: string | undefined;
    let failures = 0;
    while (!this.stopped) {
      try {
        if (cursor === undefined) {
          cursor = await this.tail();
          this.markStarted();
        } else if (failures > 0) cursor = await this.checkAfterOutage(cursor);
        failures = 0;
        const reply = await this.reader.xread(
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.keys.changes,
          cursor,
        );
        const raw = reply?.[0]?.[1] ?? [];
        if (raw.length === 0) continue;
        const from = cursor;
        cursor = raw[raw.length - 1]?.[0] ?? cursor;
        await this.deliver(from, raw);
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        // Before the shared connection first comes up every read fails at once (no offline queue):
        // that is starting, not a failure (a Redis that stays away is reported by readiness).
        const starting = cursor === undefined && this.redis.status !== 'ready';
        if (failures === 1 && !starting)
          this.logger.warn(`reading summary changes failed: ${(error as Error).message}`);
        await sleep(Math.min(RETRY_MS.initial * 2 ** (failures - 1), RETRY_MS.max));
      }
    }
  }

  /** Resolves a batch and hands it out; a large batch may mean the feed fell behind the stream's cap. */
  private async deliver(from: string, raw: RawEntry[]): Promise<void> {
    const entries = raw.map(parseEntry).filter((e): e is ChangeEntry => e !== undefined);
    if (raw.length >= MIN_KEPT && from !== '0-0') {
      const [first] = (await this.redis.xrange(this.keys.changes, '-', '+', 'COUNT', 1)) as RawEntry[];
      if (first !== undefined && compareIds(first[0], from) > 0) {
        this.broadcast({ kind: 'lost', position: raw[raw.length - 1]?.[0] ?? from, reason: 'fell behind' });
        return;
      }
    }
    const events = await changeEvents(this.redis, this.keys, await this.sources.view(), entries);
    if (events.length > 0) this.broadcast({ kind: 'events', events });
  }

  /** After a Redis outage: the entry we stopped at is still there, or the stream's history was lost. */
  private async checkAfterOutage(cursor: string): Promise<string> {
    if (cursor === '0-0') return cursor;
    const kept = await this.redis.xrange(this.keys.changes, cursor, cursor);
    if (kept.length > 0) return cursor;
    const position = await this.tail();
    this.broadcast({ kind: 'lost', position, reason: 'Redis lost the change history' });
    return position;
  }

  private broadcast(notice: FeedNotice): void {
    for (const listener of [...this.listeners]) listener(notice);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
