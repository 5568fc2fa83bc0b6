import type { AppSummary, TaskPhase } from '@platform/domain';

export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';
/** A last build or deploy phase; `None`: the app never had one. */
export type LastTaskPhase = TaskPhase | 'None';

export interface ListAppsQuery {
  team?: string;
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

/** How fresh one upstream's data is. */
export interface SourceReport {
  connected: boolean;
  since: string | null;
  stale: boolean;
  reason: string | null;
}

export interface AppPage {
  items: AppSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Whether any source is stale (the items say which of their parts). */
  stale: boolean;
  sources: Record<string, SourceReport>;
}

export interface TeamCounts {
  apps: number;
  health: Record<string, number>;
  sync: Record<string, number>;
  build: Record<string, number>;
  deploy: Record<string, number>;
}

export interface SummaryStats {
  /** Over every team. */
  total: TeamCounts;
  teams: Record<string, TeamCounts>;
  stale: boolean;
  sources: Record<string, SourceReport>;
  collector: {
    leader: string | null;
    epoch: string | null;
    freshAt: string | null;
    /** How long the leader's last full resync took to write. */
    resyncMs: number | null;
    /** From taking the lead (every source listed, then the resync) to fresh data. */
    freshAfterMs: number | null;
  };
}
