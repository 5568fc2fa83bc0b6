/**
 * One entry of the `<prefix>changes` Redis stream, as the write scripts append it: what changed,
 * not the record itself (that is read from `app:<app>` when the entry is sent).
 */
export interface ChangeEntry {
  /** The stream entry id (`<ms>-<seq>`): the SSE `id:` a client resumes from. */
  id: string;
  type: 'upsert' | 'delete';
  app: string;
  /** The app's team ('-' for none): for a delete, the only way to know who may see it. */
  team: string;
  epoch: number;
}

/** An entry as ioredis returns it from XRANGE / XREAD: the id and a flat field list. */
export type RawEntry = [id: string, fields: string[]];

export function parseEntry([id, fields]: RawEntry): ChangeEntry | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? '', fields[i + 1] ?? '');
  const type = map.get('type');
  const app = map.get('app');
  if ((type !== 'upsert' && type !== 'delete') || app === undefined) return undefined;
  return { id, type, app, team: map.get('team') ?? '-', epoch: Number(map.get('epoch') ?? 0) };
}

const ID = /^(\d{1,20})-(\d{1,20})$/;

/** Whether `id` is a stream entry id (anything else a client sends cannot be resumed from). */
export function isEntryId(id: string): boolean {
  return ID.test(id);
}

/** Orders stream ids (`<ms>-<seq>`) as Redis does; both parts compared as integers. */
export function compareIds(a: string, b: string): number {
  const [, am = '0', as = '0'] = ID.exec(a) ?? [];
  const [, bm = '0', bs = '0'] = ID.exec(b) ?? [];
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/**
 * Of several entries of one app only the newest matters: every event carries the app's current
 * record (or its deletion), so earlier ones would repeat it. Keeps stream order.
 */
export function newestPerApp(entries: readonly ChangeEntry[]): ChangeEntry[] {
  const last = new Map<string, number>();
  entries.forEach((entry, i) => last.set(entry.app, i));
  return entries.filter((entry, i) => last.get(entry.app) === i);
}
