import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { AppPage, AppSummary } from '@platform/domain';
import { ForbiddenError, NotFoundError } from '@platform/errors';
import { canAccessTeam, redisCall, type Principal } from '@platform/service-runtime';
import { SourcesCache } from '../store/sources-cache';
import { pageBody } from '../store/page-body';
import { staleSuffix } from '../store/source-health';
import { SummaryReader } from '../store/summary-reader';
import type { ListAppsQuery } from './apps.dto';
import { decodeCursor, encodeCursor } from './page-cursor';
import { PageBuffers } from './page-buffers';
import { sourcesReport, sourcesReportMembers } from './sources-view';

const DEFAULT_LIMIT = 50;

/** The app list and one app, from Redis only, limited to the caller's teams inside the query. */
@Injectable()
export class AppsService {
  constructor(
    private readonly reader: SummaryReader,
    private readonly sources: SourcesCache,
    private readonly buffers: PageBuffers,
  ) {}

  /**
   * One page as JSON, to be sent as `response`'s body: the records are spliced in as Redis holds
   * them (with their stale fields appended), never parsed and re-serialized, which is most of the
   * cost of a page, into a buffer lent to that response (see PageBuffers).
   */
  async list(query: ListAppsQuery, principal: Principal, response: ServerResponse): Promise<string | Buffer> {
    const teams = visibleTeams(query.team, principal);
    if (teams !== undefined && teams.length === 0) {
      const empty: AppPage = { items: [], nextCursor: null, ...sourcesReport(new Map(), false) };
      return JSON.stringify(empty);
    }
    const sort = query.sort ?? 'name';
    const sources = await this.sources.view();
    const page = await redisCall('list apps', () =>
      this.reader.list({
        teams,
        environment: query.environment,
        health: query.health,
        sync: query.sync,
        build: query.build,
        deploy: query.deploy,
        q: query.q,
        sort,
        limit: query.limit ?? DEFAULT_LIMIT,
        cursor: query.cursor === undefined ? undefined : decodeCursor(sort, query.cursor),
      }),
    );
    const next = page.nextCursor === null ? null : encodeCursor(sort, page.nextCursor);
    const tail = `],"nextCursor":${JSON.stringify(next)},${sourcesReportMembers(sources, principal.admin)}}`;
    return pageBody('{"items":[', page.records, staleSuffix(sources), tail, (bytes) =>
      this.buffers.lend(bytes, response),
    );
  }

  async get(app: string, principal: Principal): Promise<AppSummary> {
    const { summary } = await redisCall('read an app', () => this.reader.get(app));
    // Another team's app answers as a missing one: its existence is not confirmed.
    if (summary === undefined || !canAccessTeam(principal, summary.team)) {
      throw new NotFoundError('APP_NOT_FOUND', `app "${app}" not found`, { app });
    }
    return summary;
  }
}

/**
 * The teams a list may show: the asked-for team when the caller may see it, else all the
 * caller's teams (undefined: every team, for admins). Asking for another team's apps is 403.
 */
export function visibleTeams(team: string | undefined, principal: Principal): string[] | undefined {
  if (team !== undefined) {
    if (!canAccessTeam(principal, team))
      throw new ForbiddenError('FORBIDDEN', `you are not in team ${team}`, { team });
    return [team];
  }
  return principal.admin ? undefined : principal.teams;
}
