import { canAccessTeam, type Principal } from '@platform/service-runtime';
import type { RedisClient } from '@platform/service-runtime';
import type { SourcesCache } from '../store/sources-cache';
import type { SummaryKeys } from '../store/summary-keys';
import { newestPerApp } from './change-entry';
import { changeEvents } from './change-events';
import { catchUp } from './change-history';
import type { StreamSession } from './stream-session';

/** Records read per MGET while replaying. */
const PAGE = 250;

/**
 * Brings a new session up to the stream's present: replays the caller's changes after `cursor`
 * (each app once, with its current record; other teams' records never read), or tells it to
 * reload the list.
 */
export async function catchUpSession(
  session: StreamSession,
  principal: Principal,
  cursor: string | undefined,
  redis: RedisClient,
  keys: SummaryKeys,
  sources: SourcesCache,
): Promise<void> {
  const start = await catchUp(redis, keys, cursor);
  if (start.kind === 'reload') {
    session.reload(start.position, start.reason);
    return;
  }
  const resumedFrom = cursor ?? '';
  const visible = newestPerApp(
    start.entries.filter((e) => canAccessTeam(principal, e.team === '-' ? null : e.team)),
  );
  const view = await sources.view();
  session.replay(resumedFrom, []);
  for (let i = 0; i < visible.length; i += PAGE) {
    session.replay(resumedFrom, await changeEvents(redis, keys, view, visible.slice(i, i + PAGE)));
  }
  session.replayedThrough(start.entries.at(-1)?.id ?? resumedFrom);
}
