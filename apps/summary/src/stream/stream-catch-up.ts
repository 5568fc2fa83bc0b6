import { Inject, Injectable } from '@nestjs/common';
import { canAccessTeam, type Principal, type RedisClient } from '@platform/service-runtime';
import { Redis } from 'ioredis';
import { SourcesCache } from '../store/sources-cache';
import { SummaryKeys } from '../store/summary-keys';
import { newestPerApp } from './change-entry';
import { changeEvents } from './change-events';
import { catchUp } from './change-history';
import type { StreamSession } from './stream-session';

/** Records read per MGET while replaying. */
const PAGE = 250;

/**
 * Brings a new session up to the stream's present from Redis: replays the caller's changes after
 * `cursor` (each app once, with its current record; other teams' records never read), or tells it
 * to reload the list.
 */
@Injectable()
export class StreamCatchUp {
  constructor(
    @Inject(Redis) private readonly redis: RedisClient,
    private readonly keys: SummaryKeys,
    private readonly sources: SourcesCache,
  ) {}

  async run(session: StreamSession, principal: Principal, cursor: string | undefined): Promise<void> {
    const start = await catchUp(this.redis, this.keys, cursor);
    if (start.kind === 'reload') {
      session.reload(start.position, start.reason);
      return;
    }
    const resumedFrom = cursor ?? '';
    const visible = newestPerApp(
      start.entries.filter((e) => canAccessTeam(principal, e.team === '-' ? null : e.team)),
    );
    const view = await this.sources.view();
    session.replay(resumedFrom, []);
    for (let i = 0; i < visible.length; i += PAGE) {
      session.replay(
        resumedFrom,
        await changeEvents(this.redis, this.keys, view, visible.slice(i, i + PAGE)),
      );
    }
    session.replayedThrough(start.entries.at(-1)?.id ?? resumedFrom);
  }
}
