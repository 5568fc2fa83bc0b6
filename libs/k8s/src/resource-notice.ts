/**
 * What a resilient Kubernetes watch emits:
 * - `snapshot`: the full current list (at start and after every relist): anything not in it is gone;
 * - `event`: one change after the snapshot, in order;
 * - `reconnected`: the watch dropped and resumed from the last resourceVersion; nothing was lost.
 */
export type ResourceNotice<T> =
  | { kind: 'snapshot'; items: T[]; reason: string }
  | { kind: 'event'; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { kind: 'reconnected'; reason: string };
