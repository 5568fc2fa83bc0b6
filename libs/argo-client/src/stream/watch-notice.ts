/**
 * What a resilient watch emits. Consumers keep their own view of the world:
 * - `snapshot`: the full current list (at start and after every relist): anything not in it is gone;
 * - `event`: one change after the snapshot, in order, never duplicated across a resume;
 * - `resync`: (watches without a list call) the stream restarted from scratch; the current
 *   objects follow as events;
 * - `reconnected`: the stream dropped and resumed from the last version seen; nothing was lost.
 */
export type WatchNotice<E, I = never> =
  | { kind: 'snapshot'; items: I[]; reason: string }
  | { kind: 'event'; event: E }
  | { kind: 'resync'; reason: string }
  | { kind: 'reconnected'; reason: string };
