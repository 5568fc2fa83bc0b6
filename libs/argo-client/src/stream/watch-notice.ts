/**
 * What a resilient watch emits. Consumers keep their own view of the world:
 * - `event`: one change, in order, never duplicated across a resume;
 * - `resync`: the watch could not resume (its version was too old); a fresh snapshot of every
 *   object follows as events, and anything not in it is gone — reconcile against it;
 * - `reconnected`: the stream dropped and resumed from the last version seen; nothing was lost.
 */
export type WatchNotice<T> =
  { kind: 'event'; event: T } | { kind: 'resync'; reason: string } | { kind: 'reconnected'; reason: string };
