/**
 * Redis answers a write before its replicas have it, and a master restarted from an older
 * snapshot forgets what it answered since: after a Sentinel or Cluster failover, or such a
 * restart, writes the leader saw succeed can be gone while the epoch that fences them is still
 * there. The leader then believes Redis holds what it wrote, and an app it never changes again
 * stays stale for good.
 *
 * So every write pipeline (and every heartbeat) ends with a fenced INCR of one counter, and the
 * leader remembers the count Redis answered: a count that does not follow its own last one means
 * Redis holds another history than the one it acknowledged, and the leader rewrites everything
 * from memory (the resync compares each record, so only what was lost is written).
 */
export class LostWritesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LostWritesError';
  }
}

export class WriteSequence {
  private last: number | undefined;
  /** Counting writes sent since `last` whose answer never came: each may or may not have counted. */
  private unanswered = 0;

  /** A new epoch: the next answered count is the baseline. */
  reset(): void {
    this.last = undefined;
    this.unanswered = 0;
  }

  /** Redis counted this write as its `count`th; throws {@link LostWritesError} when that breaks the sequence. */
  counted(count: number): void {
    const last = this.last;
    const unanswered = this.unanswered;
    this.last = count;
    this.unanswered = 0;
    if (last === undefined) return;
    if (count >= last + 1 && count <= last + 1 + unanswered) return;
    throw new LostWritesError(
      `Redis counts ${count} writes of this leader, the last answer was ${last}` +
        (unanswered > 0 ? ` (${unanswered} more unanswered)` : '') +
        ': writes it acknowledged are gone (a failover, or a restart from an older snapshot)',
    );
  }

  /** A counting write that failed without an answer (the connection dropped): it may have counted. */
  lost(): void {
    if (this.last !== undefined) this.unanswered += 1;
  }
}
