import { Observable, type OperatorFunction } from 'rxjs';

/**
 * What a resilient watch emits. Consumers keep their own view of the world:
 * - `snapshot-page`: one page of the current list (at start and after every relist). `first`
 *   starts a new snapshot (drop any half-read one), `last` ends it: anything its pages did not
 *   mention is gone. A consumer that folds each page as it comes never holds the whole list;
 * - `event`: one change after the snapshot, in order, never duplicated across a resume;
 * - `resync`: (watches without a list call) the stream restarted from scratch; the current
 *   objects follow as events;
 * - `reconnected`: the stream dropped and resumed from the last version seen; nothing was lost.
 */
export type WatchNotice<E, I = never> =
  { kind: 'snapshot-page'; items: I[]; first: boolean; last: boolean; reason: string } | WatchChange<E>;

type WatchChange<E> =
  { kind: 'event'; event: E } | { kind: 'resync'; reason: string } | { kind: 'reconnected'; reason: string };

/** {@link WatchNotice} with each snapshot's pages gathered into one whole `snapshot`. */
export type GatheredWatchNotice<E, I = never> =
  { kind: 'snapshot'; items: I[]; reason: string } | WatchChange<E>;

/**
 * Gathers each snapshot's pages into one `snapshot`, for consumers that need the whole list at
 * once and watch few objects (one workflow, one app); a half-read snapshot that a relist
 * replaced is dropped.
 */
export function gatherSnapshotPages<E, I>(): OperatorFunction<WatchNotice<E, I>, GatheredWatchNotice<E, I>> {
  return (source) =>
    new Observable<GatheredWatchNotice<E, I>>((subscriber) => {
      let gathered: I[] = [];
      return source.subscribe({
        next: (notice) => {
          if (notice.kind !== 'snapshot-page') return subscriber.next(notice);
          if (notice.first) gathered = [];
          gathered.push(...notice.items);
          if (!notice.last) return;
          const items = gathered;
          gathered = [];
          subscriber.next({ kind: 'snapshot', items, reason: notice.reason });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * Receives a list's pages as they arrive: `first` on the first (again when the list had to start
 * over, then with why), `last` on the final one.
 */
export type PageSink<I> = (
  items: I[],
  page: { first: boolean; last: boolean; restartedBecause?: string },
) => void;
