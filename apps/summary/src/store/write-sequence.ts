/**
 * Redis answers a write before its replicas have it, and a master restarted from an older
 * snapshot forgets what it answered since: after a Sentinel or Cluster failover, or such a
 * restart, writes the leader saw succeed can be gone while the epoch that fences them is still
 * there. The leader then believes Redis holds what it wrote, and an app it never changes again
 * stays stale for good.
 *
 * So every write pipeline (and every heartbeat) ends with a fenced count of this leader's writes
 * (SEQUENCE_LUA), given the count Redis last answered: while Redis holds a lower one, the script
 * refuses with LOST instead of counting, and the leader rewrites everything from memory (the
 * resync compares each record, so only what was lost is written). Redis checks it rather than
 * the leader because a pipeline whose reply never came may or may not have counted: a count
 * that only the leader compared could then cover a loss.
 */
export class LostWritesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LostWritesError';
  }
}

export class WriteSequence {
  private last: number | undefined;

  /** What the next count is checked against: the last answered count, -1 before the first. */
  get lastAnswered(): number {
    return this.last ?? -1;
  }

  /** A new epoch, or Redis refused a count (LOST): the next answered count is the baseline. */
  reset(): void {
    this.last = undefined;
  }

  /**
   * Redis counted this write as its `count`th. A count above the last one by more than one is
   * fine: pipelines whose reply was lost may have counted, and ioredis resends one that got no
   * reply at all after a reconnect.
   */
  counted(count: number): void {
    this.last = count;
  }
}
