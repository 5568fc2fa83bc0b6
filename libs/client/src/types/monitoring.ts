// The monitoring service's views are defined once, in @platform/domain, and re-exported here so the
// portal imports every type from this package.
export type { AppEvent, AppStatus, PodLogLine, PodLogMembership, TaskLogLine } from '@platform/domain';

export interface RecentLogsQuery {
  /** Only this container of each pod. */
  container?: string;
  /** Lines of history (0 to 1000, default 100). */
  tail?: number;
  /** Only lines younger than this many seconds. */
  since?: number;
}
