import { SUMMARY_PARTS, type SummaryPart } from '@platform/domain';
import type { StoredSummary } from '../fold/stored-summary';

/**
 * How a summary is written to Redis: its JSON with `observedAt` as the record's last member and as
 * an array in SUMMARY_PARTS order (`"observedAt":["2026-…Z",null,…]`) instead of an object.
 *
 * Why: the record is most of the memory per app, and Redis keeps a value in jemalloc's next size
 * class (…, 1,280, 1,536 bytes). The eight part names are about 70 characters of every record;
 * without them a usual record (about 1,300 characters as an object) fits the smaller class, which
 * saves 256 bytes per app. The list splices records into pages without parsing them, naming the
 * parts again as it copies (see page-body.ts): the array's values are ISO times or null, which hold
 * no comma, so the copy finds them by their commas. A record with any other value keeps the object.
 */
export const OBSERVED_ARRAY_MARK = ',"observedAt":[';

export function encodeRecord(summary: StoredSummary): string {
  const { observedAt, ...rest } = summary;
  const values = SUMMARY_PARTS.map((part) => observedAt[part]);
  const compact = values.every((v) => v === null || (typeof v === 'string' && !v.includes(',')));
  if (!compact) return JSON.stringify({ ...rest, observedAt });
  return `${JSON.stringify(rest).slice(0, -1)}${OBSERVED_ARRAY_MARK}${values.map((v) => JSON.stringify(v)).join(',')}]}`;
}

/** A record as Redis holds it, in either form, back to the summary. */
export function decodeRecord(json: string): StoredSummary {
  const parsed = JSON.parse(json) as Omit<StoredSummary, 'observedAt'> & {
    observedAt: StoredSummary['observedAt'] | Array<string | null>;
  };
  const { observedAt } = parsed;
  if (!Array.isArray(observedAt)) return parsed as StoredSummary;
  const named = {} as Record<SummaryPart, string | null>;
  SUMMARY_PARTS.forEach((part, i) => (named[part] = observedAt[i] ?? null));
  return { ...parsed, observedAt: named };
}
