import type { AppSummary } from './app-summary';

/** How fresh one upstream's data is, as the summary service's answers report it. */
export interface SourceReport {
  connected: boolean;
  since: string | null;
  stale: boolean;
  /** The upstream's own error text: admins only, null for everyone else. */
  reason: string | null;
}

/** One page of `GET /summary/v1/apps`. */
export interface AppPage {
  items: AppSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Whether any source is stale (the items say which of their parts). */
  stale: boolean;
  sources: Record<string, SourceReport>;
}

/** A team's apps counted by health, sync and last build/deploy phase. */
export interface TeamCounts {
  apps: number;
  health: Record<string, number>;
  sync: Record<string, number>;
  build: Record<string, number>;
  deploy: Record<string, number>;
}

/**
 * An environment's apps (those with an Argo CD Application for it) counted by that environment's
 * health, sync and last deploy phase. Builds are not made per environment: see TeamCounts.
 */
export interface EnvironmentCounts {
  apps: number;
  health: Record<string, number>;
  sync: Record<string, number>;
  deploy: Record<string, number>;
}

/** `GET /summary/v1/stats` (platform admins only). */
export interface SummaryStats {
  /** Over every team, each app counted once by its roll-up over its environments. */
  total: TeamCounts;
  teams: Record<string, TeamCounts>;
  /** Per environment, by that environment's own state. */
  environments: Record<string, EnvironmentCounts>;
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
