export type { WatchNotice, WatchChange, GatheredWatchNotice, ObjectEvent, PageSink } from './watch-notice';
export { gatherSnapshotPages } from './gather-snapshot-pages';
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { abortableSleep } from './abortable-sleep';
export { endsWatch } from './ends-watch';
