import type { StoredSummary } from '../fold/stored-summary';
import type { ScriptedPipeline, ScriptedRedis } from './scripted-redis';
import { encodeRecord, type RecordForm } from './stored-record';
import type { SummaryKeys } from './summary-keys';

/** A write refused because another replica's epoch is current (or Redis lost the leader key). */
export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedError';
  }
}

const CHUNK = 500;
/** The default of SUMMARY_CHANGES_MAXLEN. */
export const DEFAULT_CHANGES_MAXLEN = 10_000;

/**
 * The leader's side of the Redis model: claims a fencing epoch, writes summaries and removals in
 * pipelined batches through the index-keeping scripts, and keeps the leader-only metadata. Every
 * script checks the epoch inside Redis, so a replica that lost its lease cannot write even if it
 * has not noticed yet.
 */
export class SummaryWriter {
  /**
   * `changesMaxLen`: about how many changes the `changes` stream keeps (XADD MAXLEN ~);
   * `form.sharedParts`: whether a one-environment app's parts are stored once (stored-record.ts).
   */
  constructor(
    private readonly redis: ScriptedRedis,
    readonly keys: SummaryKeys,
    private readonly changesMaxLen = DEFAULT_CHANGES_MAXLEN,
    private readonly form: RecordForm = { sharedParts: false },
  ) {}

  async claim(): Promise<string> {
    return String(await this.redis.summaryClaim(this.keys.leader, this.keys.prefix));
  }

  /** The epoch Redis currently holds (undefined when Redis lost it, e.g. restarted empty). */
  async currentEpoch(): Promise<string | undefined> {
    return (await this.redis.get(this.keys.leader)) ?? undefined;
  }

  /** Writes `upserts` and removes `removals` in pipelines; returns how many records changed. */
  async write(epoch: string, upserts: StoredSummary[], removals: string[]): Promise<number> {
    let changed = 0;
    const ops: Array<(p: ScriptedPipeline) => void> = [
      ...upserts.map((s) => (p: ScriptedPipeline) => {
        p.summaryUpsert(
          this.keys.leader,
          this.keys.prefix,
          epoch,
          s.app,
          encodeRecord(s, this.form),
          activityMs(s),
          this.changesMaxLen,
        );
      }),
      ...removals.map((app) => (p: ScriptedPipeline) => {
        p.summaryRemove(this.keys.leader, this.keys.prefix, epoch, app, this.changesMaxLen);
      }),
    ];
    for (let i = 0; i < ops.length; i += CHUNK) {
      const pipeline = this.redis.pipeline() as ScriptedPipeline;
      for (const op of ops.slice(i, i + CHUNK)) op(pipeline);
      const results = (await pipeline.exec()) ?? [];
      for (const [error, value] of results) {
        if (error !== null) {
          if (error.message.includes('FENCED')) throw new FencedError(error.message);
          throw error;
        }
        changed += Number(value);
      }
    }
    return changed;
  }

  /** Sets fields of a leader-only hash (`sources`, `meta`), fenced like the records. */
  async setHash(epoch: string, hash: 'sources' | 'meta', fields: Record<string, string>): Promise<void> {
    const args = Object.entries(fields).flat();
    try {
      await this.redis.summaryMeta(this.keys.leader, this.keys.prefix, epoch, hash, ...args);
    } catch (error) {
      if ((error as Error).message.includes('FENCED')) throw new FencedError((error as Error).message);
      throw error;
    }
  }

  /**
   * The app names in Redis, about `count` at a time (a resync removes those the sources no
   * longer have) by ZSCAN, which returns every name present throughout the scan at least once
   * however the index changes meanwhile, and never holds them all.
   */
  async *appNamePages(count: number): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.zscan(this.keys.nameIndex, cursor, 'COUNT', count);
      cursor = next;
      const names: string[] = [];
      // ZSCAN answers member, score, member, score, ...
      for (let i = 0; i < flat.length; i += 2) names.push(flat[i] ?? '');
      if (names.length > 0) yield names;
    } while (cursor !== '0');
  }
}

export function activityMs(summary: StoredSummary): number {
  const ms = summary.lastActivityAt === null ? 0 : Date.parse(summary.lastActivityAt);
  return Number.isFinite(ms) ? ms : 0;
}
