import { Injectable } from '@nestjs/common';
import type { EnvironmentCounts, SummaryStats, TeamCounts } from '@platform/domain';
import { ForbiddenError } from '@platform/errors';
import { redisCall, type Principal } from '@platform/service-runtime';
import { sourcesReport } from '../apps/sources-view';
import { SummaryReader } from '../store/summary-reader';

/**
 * Counts by health, sync and last build/deploy phase per team, and by each environment's own
 * health, sync and last deploy phase per environment, kept by the write scripts. For
 * platform admins only: it names every team, the collecting pod and the upstreams' errors.
 */
@Injectable()
export class StatsService {
  constructor(private readonly reader: SummaryReader) {}

  async stats(principal: Principal): Promise<SummaryStats> {
    if (!principal.admin) {
      throw new ForbiddenError(
        'ADMIN_ONLY',
        "the stats (every team's counts, the collecting pod, the upstreams' errors) are for platform admins; the app list has your teams' apps",
      );
    }
    const { teams, environments, sources, meta } = await redisCall('read the stats', () =>
      this.reader.stats(),
    );
    const total: TeamCounts = { apps: 0, health: {}, sync: {}, build: {}, deploy: {} };
    const visible: Record<string, TeamCounts> = {};
    for (const [team, counts] of [...teams].sort(([a], [b]) => a.localeCompare(b))) {
      visible[team] = counts;
      total.apps += counts.apps;
      for (const dim of ['health', 'sync', 'build', 'deploy'] as const)
        for (const [key, n] of Object.entries(counts[dim])) total[dim][key] = (total[dim][key] ?? 0) + n;
    }
    const byEnvironment: Record<string, EnvironmentCounts> = {};
    for (const [environment, counts] of [...environments].sort(([a], [b]) => a.localeCompare(b)))
      byEnvironment[environment] = counts;
    return {
      total,
      teams: visible,
      environments: byEnvironment,
      ...sourcesReport(sources),
      collector: {
        leader: meta.leader ?? null,
        epoch: meta.epoch ?? null,
        freshAt: meta.freshAt ?? null,
        resyncMs: meta.resyncMs === undefined ? null : Number(meta.resyncMs),
        freshAfterMs: meta.freshAfterMs === undefined ? null : Number(meta.freshAfterMs),
      },
    };
  }
}
