/**
 * What every resilient watch emits (Argo Workflows, Argo CD and Kubernetes alike). Consumers keep
 * their own view of the world:
 * - `snapshot-page`: one page of the current list (at start and after every relist). `first`
 *   starts a new snapshot (drop any half-read one), `last` ends it: anything its pages did not
 *   mention is gone. A consumer that folds each page as it comes never holds the whole list;
 * - `event`: one change after the snapshot, in order, never duplicated across a resume;
 * - `resync`: (watches without a list call) the stream restarted from scratch; the current
 *   objects follow as events;
 * - `reconnected`: the stream dropped and resumed from the last version seen; nothing was lost.
 *
 * A watch that cannot go on (401/403, see {@link endsWatch}) fails with that error instead.
 */
export type WatchNotice<E, I = never> =
  { kind: 'snapshot-page'; items: I[]; first: boolean; last: boolean; reason: string } | WatchChange<E>;

/** What a watch emits besides its lists' pages. */
export type WatchChange<E> =
  { kind: 'event'; event: E } | { kind: 'resync'; reason: string } | { kind: 'reconnected'; reason: string };

/** One change of one object, as Kubernetes and Argo Workflows watches carry it. */
export interface ObjectEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

/** {@link WatchNotice} with each snapshot's pages gathered into one whole `snapshot`. */
export type GatheredWatchNotice<E, I = never> =
  { kind: 'snapshot'; items: I[]; reason: string } | WatchChange<E>;

/**
 * Receives a list's pages as they arrive: `first` on the first (again when the list had to start
 * over, then with why), `last` on the final one.
 */
export type PageSink<I> = (
  items: I[],
  page: { first: boolean; last: boolean; restartedBecause?: string },
) => void;
