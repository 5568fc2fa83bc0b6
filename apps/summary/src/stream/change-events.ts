import type { SummarySource } from '@platform/domain';
import { formatSse } from '@platform/service-runtime';
import type { RedisClient } from '@platform/service-runtime';
import { withStaleness, type SourceView } from '../store/source-health';
import { decodeRecord } from '../store/stored-record';
import type { SummaryKeys } from '../store/summary-keys';
import { newestPerApp, type ChangeEntry } from './change-entry';

/** One change ready to send: its SSE frame (encoded once for every client) and who may see it. */
export interface ChangeEvent {
  id: string;
  /** `app` or `deleted`, with its data: what the long-poll form answers (the SSE form sends `frame`). */
  event: 'app' | 'deleted';
  data: unknown;
  app: string;
  /** The team whose members may see it (null: an app without a team). */
  team: string | null;
  frame: string;
}

/**
 * Turns stream entries into SSE events: `app` with the app's current AppSummary (one MGET for the
 * whole batch, stale parts marked), `deleted` with its name. An upsert whose record is gone by now
 * is skipped: its deletion is a later entry of the stream.
 */
export async function changeEvents(
  redis: RedisClient,
  keys: SummaryKeys,
  sources: Map<SummarySource, SourceView>,
  entries: readonly ChangeEntry[],
): Promise<ChangeEvent[]> {
  const latest = newestPerApp(entries);
  const upserts = latest.filter((e) => e.type === 'upsert');
  const records = upserts.length === 0 ? [] : await redis.mget(upserts.map((e) => keys.app(e.app)));
  const record = new Map(upserts.map((e, i) => [e.id, records[i] ?? null]));
  const out: ChangeEvent[] = [];
  for (const entry of latest) {
    if (entry.type === 'delete') {
      const team = entry.team === '-' ? null : entry.team;
      out.push(change('deleted', entry.id, entry.app, team, { app: entry.app }));
      continue;
    }
    const json = record.get(entry.id);
    if (json === null || json === undefined) continue;
    const summary = withStaleness(decodeRecord(json), sources);
    out.push(change('app', entry.id, entry.app, summary.team, summary));
  }
  return out;
}

function change(
  event: ChangeEvent['event'],
  id: string,
  app: string,
  team: string | null,
  data: unknown,
): ChangeEvent {
  return { id, event, data, app, team, frame: formatSse({ event, id, data }) };
}
