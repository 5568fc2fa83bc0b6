import type { TaskPhase } from '@platform/domain';

export type { AppPage, EnvironmentCounts, SourceReport, SummaryStats, TeamCounts } from '@platform/domain';

export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';
/** A last build or deploy phase; `None`: the app never had one. */
export type LastTaskPhase = TaskPhase | 'None';

export interface ListAppsQuery {
  team?: string;
  /**
   * Only apps deployed to this environment; `health`, `sync`, `deploy` and the `activity` order
   * then read that environment's state instead of the app's roll-up.
   */
  environment?: string;
  health?: HealthStatus;
  sync?: SyncStatus;
  /** Phase of the last build. */
  build?: LastTaskPhase;
  /** Phase of the last deploy. */
  deploy?: LastTaskPhase;
  /** Apps whose name starts with this. */
  q?: string;
  /** `name` (A-Z, default) or `activity` (newest first). */
  sort?: 'name' | 'activity';
  /** 1 to 200 (default 50). */
  limit?: number;
  /** The `nextCursor` of the previous page (same filters and sort). */
  cursor?: string;
}
