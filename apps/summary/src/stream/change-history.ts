import type { RedisClient } from '@platform/service-runtime';
import type { SummaryKeys } from '../store/summary-keys';
import { isEntryId, parseEntry, type ChangeEntry, type RawEntry } from './change-entry';

/** Where a client starts: the entries after its cursor, or (cursor unusable) a reload from `position`. */
export type CatchUp =
  | { kind: 'replay'; entries: ChangeEntry[] }
  | { kind: 'reload'; position: string; reason: 'new' | 'expired' | 'too-far-behind' };

/**
 * Replaying more changes than this costs the client more than reloading the list (one page of 50
 * apps), and would queue megabytes for one connection: beyond it, the client reloads.
 */
export const REPLAY_MAX = 2_000;

/**
 * The catch-up of a client that (re)connects. A cursor resumes only when its entry is still in the
 * stream: an id trimmed away, from a RedisClient that restarted empty, or made up cannot tell what was
 * missed, so that client reloads the list (and continues from the stream's current end).
 */
export async function catchUp(
  redis: RedisClient,
  keys: SummaryKeys,
  cursor: string | undefined,
): Promise<CatchUp> {
  if (cursor === undefined || !isEntryId(cursor))
    return reload(redis, keys, cursor === undefined ? 'new' : 'expired');
  const [kept, after] = (await redis
    .multi()
    .xrange(keys.changes, cursor, cursor)
    .xrange(keys.changes, `(${cursor}`, '+', 'COUNT', REPLAY_MAX + 1)
    .exec()) as [[Error | null, RawEntry[]], [Error | null, RawEntry[]]];
  if (kept[0] !== null) throw kept[0];
  if (after[0] !== null) throw after[0];
  if (kept[1].length === 0) return reload(redis, keys, 'expired');
  if (after[1].length > REPLAY_MAX) return reload(redis, keys, 'too-far-behind');
  return {
    kind: 'replay',
    entries: after[1].map(parseEntry).filter((e): e is ChangeEntry => e !== undefined),
  };
}

async function reload(
  redis: RedisClient,
  keys: SummaryKeys,
  reason: 'new' | 'expired' | 'too-far-behind',
): Promise<CatchUp> {
  const [last] = (await redis.xrevrange(keys.changes, '+', '-', 'COUNT', 1)) as RawEntry[];
  return { kind: 'reload', position: last?.[0] ?? '', reason };
}
