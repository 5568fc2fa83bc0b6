import { Observable, type OperatorFunction } from 'rxjs';

/**
 * What a resilient Kubernetes watch emits:
 * - `snapshot-page`: one page of the current list (at start and after every relist). `first`
 *   starts a new snapshot (drop any half-read one), `last` ends it: anything the snapshot's pages
 *   did not mention is gone. Pages arrive as the server sends them, so a consumer that folds each
 *   one never holds the whole list;
 * - `event`: one change after the snapshot, in order;
 * - `reconnected`: the watch dropped and resumed from the last resourceVersion; nothing was lost.
 */
export type ResourceNotice<T> =
  | { kind: 'snapshot-page'; items: T[]; first: boolean; last: boolean; reason: string }
  | ResourceChange<T>
  | { kind: 'reconnected'; reason: string };

export type ResourceChange<T> = { kind: 'event'; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T };

/** {@link ResourceNotice} with each snapshot's pages gathered into one whole `snapshot`. */
export type GatheredResourceNotice<T> =
  | { kind: 'snapshot'; items: T[]; reason: string }
  | ResourceChange<T>
  | { kind: 'reconnected'; reason: string };

/**
 * Gathers each snapshot's pages into one `snapshot`, for consumers that need the whole list at
 * once and watch few objects (one namespace, one app); a half-read snapshot that a relist
 * replaced is dropped.
 */
export function gatherSnapshotPages<T>(): OperatorFunction<ResourceNotice<T>, GatheredResourceNotice<T>> {
  return (source) =>
    new Observable<GatheredResourceNotice<T>>((subscriber) => {
      let gathered: T[] = [];
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
