import { Observable, type OperatorFunction } from 'rxjs';
import type { GatheredWatchNotice, WatchNotice } from './watch-notice';

/**
 * Gathers each snapshot's pages into one `snapshot`, for consumers that need the whole list at
 * once and watch few objects (one workflow, one app, one namespace's events); a half-read
 * snapshot that a relist replaced is dropped.
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
