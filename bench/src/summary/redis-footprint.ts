import type { Redis } from 'ioredis';

export interface Footprint {
  /** Mean JSON length of an app record. */
  recordChars: number;
  /** Bytes per app Redis reports for the records (value, key and bookkeeping). */
  recordBytes: number;
  /** Bytes per app of everything else under the prefix (indexes, counters, change log). */
  otherBytes: number;
  /** That rest per kind of key (`idx:name`, `idx:team:*`, `tag:*`, `changes`, ...), bytes per app. */
  otherByKind: Record<string, number>;
}

/** The kind of a key under the prefix: `idx:team:*` for every team's index, `tag:*` for the state sets. */
function kindOf(key: string): string {
  const [first = '', second = ''] = key.split(':');
  if (first === 'tag') return 'tag:*';
  if (first !== 'idx') return first;
  return second === 'name' || second === 'activity' ? `idx:${second}` : `idx:${second}:*`;
}

/**
 * Where the summary's Redis memory goes, per app: `MEMORY USAGE` of every key under `prefix`
 * (exact, SAMPLES 0), split into the app records and the rest. Explains the used_memory figure.
 */
export async function footprint(redis: Redis, prefix: string, apps: number): Promise<Footprint> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', 0).strlen(key);
  const results = (await pipeline.exec()) ?? [];
  let recordBytes = 0;
  let recordChars = 0;
  let records = 0;
  let otherBytes = 0;
  const byKind: Record<string, number> = {};
  keys.forEach((key, i) => {
    const bytes = Number(results[i * 2]?.[1] ?? 0);
    if (key.startsWith(`${prefix}app:`)) {
      recordBytes += bytes;
      recordChars += Number(results[i * 2 + 1]?.[1] ?? 0);
      records += 1;
    } else {
      otherBytes += bytes;
      const kind = kindOf(key.slice(prefix.length));
      byKind[kind] = (byKind[kind] ?? 0) + bytes;
    }
  });
  return {
    recordChars: Math.round(recordChars / Math.max(records, 1)),
    recordBytes: Math.round(recordBytes / apps),
    otherBytes: Math.round(otherBytes / apps),
    otherByKind: Object.fromEntries(
      Object.entries(byKind)
        .map(([kind, bytes]) => [kind, Math.round(bytes / apps)] as const)
        .filter(([, perApp]) => perApp > 0)
        .sort((a, b) => b[1] - a[1]),
    ),
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
