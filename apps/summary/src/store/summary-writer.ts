import type { StoredSummary } from '../fold/stored-summary';
import type { ScriptedPipeline, ScriptedRedis } from './scripted-redis';
import { encodeRecord, type RecordForm } from './stored-record';
import type { SummaryKeys } from './summary-keys';
import { LostWritesError, WriteSequence } from './write-sequence';

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
  private readonly sequence = new WriteSequence();

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

  /** Claims a new epoch, above `floor` (one this leader held in a Redis that went back). */
  async claim(floor = 0): Promise<string> {
    const epoch = String(await this.redis.summaryClaim(this.keys.leader, this.keys.prefix, floor));
    this.sequence.reset();
    return epoch;
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
      for (const value of await this.counted(epoch, pipeline)) changed += Number(value);
    }
    return changed;
  }

  /** Sets fields of a leader-only hash (`sources`, `meta`), fenced like the records. */
  async setHash(epoch: string, hash: 'sources' | 'meta', fields: Record<string, string>): Promise<void> {
    const pipeline = this.redis.pipeline() as ScriptedPipeline;
    pipeline.summaryMeta(this.keys.leader, this.keys.prefix, epoch, hash, ...Object.entries(fields).flat());
    await this.counted(epoch, pipeline);
  }

  /**
   * Runs `pipeline` followed by one count of this leader's writes (write-sequence.ts) and answers
   * its replies without the count's. Throws {@link FencedError} when another epoch is current,
   * {@link LostWritesError} when Redis lost writes it acknowledged, else the first failed reply.
   * The pipeline's own commands ran either way: only a failed one has to be written again.
   */
  private async counted(epoch: string, pipeline: ScriptedPipeline): Promise<unknown[]> {
    pipeline.summarySequence(this.keys.leader, this.keys.prefix, epoch, this.sequence.lastAnswered);
    const results = (await pipeline.exec()) ?? [];
    const [countError, count] = results.pop() ?? [new Error('Redis answered no count'), undefined];
    const errors = [...results.map(([error]) => error), countError].filter((e): e is Error => e !== null);
    const fenced = errors.find((e) => e.message.includes('FENCED'));
    if (fenced !== undefined) throw new FencedError(fenced.message);
    if (countError?.message.startsWith('LOST ') === true) {
      this.sequence.reset();
      throw new LostWritesError(
        `${countError.message.replace(/^LOST /, '')}: writes it acknowledged are gone ` +
          '(a failover, or a restart from an older snapshot)',
      );
    }
    if (countError === null) this.sequence.counted(Number(count));
    if (errors[0] !== undefined) throw errors[0];
    return results.map(([, value]) => value);
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
