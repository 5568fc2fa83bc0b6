import {
  DNS_1123_LABEL,
  type AppSummary,
  type EnvironmentCounts,
  type SummarySource,
  type TeamCounts,
} from '@platform/domain';
import { isTeamName } from '@platform/service-runtime';
import type { ScriptedRedis } from './scripted-redis';
import {
  parseSources,
  staleSources,
  withStaleness,
  type SourceStatus,
  type SourceView,
} from './source-health';
import { decodeRecord } from './stored-record';
import type { SummaryKeys } from './summary-keys';

export type SortOrder = 'name' | 'activity';

export interface ListQuery {
  /** Teams to include: undefined means every team (admins without a team filter). */
  teams?: string[];
  /** Only apps deployed to this environment, by its health, sync, deploy and activity. */
  environment?: string;
  health?: string;
  sync?: string;
  build?: string;
  deploy?: string;
  /** Name prefix. */
  q?: string;
  sort: SortOrder;
  limit: number;
  cursor?: string;
}

export interface ListResult {
  /** The page's records as Redis holds them (see stored-record.ts), to be spliced by pageBody. */
  records: Buffer[];
  nextCursor: string | null;
}

export interface ListLimits {
  /** How many index entries one list call may read at most (keeps a selective filter bounded). */
  scanBudget: number;
  /** Up to how many candidates a page reads whole and orders itself instead of walking an index. */
  gatherMax: number;
}

const DEFAULT_LIMITS: ListLimits = { scanBudget: 20_000, gatherMax: 2000 };

/** Reads of the Redis model: pages, one app, counts. Every call is one round-trip. */
export class SummaryReader {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: SummaryKeys,
    private readonly staleAfterMs: number,
    private readonly limits: ListLimits = DEFAULT_LIMITS,
  ) {}

  /** One page of records, as bytes: they are copied into the response, never parsed. */
  async list(query: ListQuery): Promise<ListResult> {
    const teams = query.teams ?? [];
    const odd = teams.find((team) => !isTeamName(team));
    // Callers pass validated names (token claims, the team filter); a key part is checked anyway.
    if (odd !== undefined) throw new Error(`not a team name: ${JSON.stringify(odd)}`);
    if (query.environment !== undefined && !DNS_1123_LABEL.test(query.environment))
      throw new Error(`not an environment name: ${JSON.stringify(query.environment)}`);
    const [next, ...records] = await this.redis.summaryListBuffer(
      this.keys.nameIndex,
      this.keys.prefix,
      query.sort,
      query.limit,
      query.cursor ?? '',
      query.q ?? '',
      query.teams === undefined ? 'all' : 'listed',
      query.health ?? '',
      query.sync ?? '',
      query.build ?? '',
      query.deploy ?? '',
      this.limits.scanBudget,
      this.limits.gatherMax,
      query.environment ?? '',
      ...teams,
    );
    return { records, nextCursor: next === null || next === undefined ? null : next.toString() };
  }

  async get(app: string): Promise<{ summary?: AppSummary; sources: Map<SummarySource, SourceView> }> {
    const results = await this.redis.multi().get(this.keys.app(app)).hgetall(this.keys.sources).exec();
    const record = results?.[0]?.[1] as string | null | undefined;
    const view = staleSources(
      parseSources((results?.[1]?.[1] as Record<string, string>) ?? {}),
      this.staleAfterMs,
    );
    return {
      summary: record == null ? undefined : withStaleness(decodeRecord(record), view),
      sources: view,
    };
  }

  async sourceStatuses(): Promise<Map<SummarySource, SourceStatus>> {
    return parseSources(await this.redis.hgetall(this.keys.sources));
  }

  async stats(): Promise<{
    teams: Map<string, TeamCounts>;
    environments: Map<string, EnvironmentCounts>;
    sources: Map<SummarySource, SourceView>;
    meta: Record<string, string>;
  }> {
    const results = await this.redis
      .multi()
      .hgetall(this.keys.stats)
      .hgetall(this.keys.sources)
      .hgetall(this.keys.meta)
      .hgetall(this.keys.environmentStats)
      .exec();
    const counts = (results?.[0]?.[1] as Record<string, string>) ?? {};
    const teams = new Map<string, TeamCounts>();
    for (const [field, value] of Object.entries(counts)) {
      const n = Number(value);
      if (n <= 0) continue;
      const [team = '-', dim, key] = field.split('|');
      let entry = teams.get(team);
      if (entry === undefined) {
        entry = { apps: 0, health: {}, sync: {}, build: {}, deploy: {} };
        teams.set(team, entry);
      }
      if (dim === 'apps') entry.apps = n;
      else if (
        key !== undefined &&
        (dim === 'health' || dim === 'sync' || dim === 'build' || dim === 'deploy')
      )
        entry[dim][key] = n;
    }
    const environments = new Map<string, EnvironmentCounts>();
    for (const [field, value] of Object.entries((results?.[3]?.[1] as Record<string, string>) ?? {})) {
      const n = Number(value);
      if (n <= 0) continue;
      const [environment = '', dim, key] = field.split('|');
      let entry = environments.get(environment);
      if (entry === undefined) {
        entry = { apps: 0, health: {}, sync: {}, deploy: {} };
        environments.set(environment, entry);
      }
      if (dim === 'apps') entry.apps = n;
      else if (key !== undefined && (dim === 'health' || dim === 'sync' || dim === 'deploy'))
        entry[dim][key] = n;
    }
    return {
      teams,
      environments,
      sources: staleSources(
        parseSources((results?.[1]?.[1] as Record<string, string>) ?? {}),
        this.staleAfterMs,
      ),
      meta: (results?.[2]?.[1] as Record<string, string>) ?? {},
    };
  }
}
