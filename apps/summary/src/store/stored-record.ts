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

/**
 * With RecordForm.sharedParts (SUMMARY_SHARED_PARTS), an app with one environment whose parts
 * are the app's own (the usual case: the roll-up of one environment is that environment) stores
 * them once: the environment holds
 * `"@parts":[<start>,<end>]` in their place, the byte range of the app's `"deploy":…,"rollout":…`
 * members in the same record, which the reader copies back in (page-body.ts, decodeRecord, the Lua
 * index helpers). That is about 700 of a 2,000-character record. The sequence cannot occur
 * otherwise: no summary has a member of that name, and a string holds its quotes escaped.
 */
export const SHARED_PARTS_MARK = ',"@parts":[';
const SHARED_PARTS = ['deploy', 'sync', 'health', 'images', 'pods', 'rollout'] as const;
const MARK_BYTES = Buffer.from(SHARED_PARTS_MARK);
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

/** How records are written; every form is read. */
export interface RecordForm {
  /** Store a one-environment app's parts once (off until no replica of a version before it serves). */
  sharedParts: boolean;
}

export function encodeRecord(summary: StoredSummary, form: RecordForm = { sharedParts: false }): string {
  const { observedAt, ...rest } = summary;
  const body = (form.sharedParts ? sharedForm(rest) : undefined) ?? JSON.stringify(rest).slice(0, -1);
  const values = SUMMARY_PARTS.map((part) => observedAt[part]);
  const compact = values.every((v) => v === null || (typeof v === 'string' && !v.includes(',')));
  if (!compact) return `${body},"observedAt":${JSON.stringify(observedAt)}}`;
  return `${body}${OBSERVED_ARRAY_MARK}${values.map((v) => JSON.stringify(v)).join(',')}]}`;
}

/** A record as Redis holds it, in any of its forms, back to the summary. */
export function decodeRecord(json: string): StoredSummary {
  const text = json.includes(SHARED_PARTS_MARK) ? withSharedParts(Buffer.from(json)).toString('utf8') : json;
  const parsed = JSON.parse(text) as Omit<StoredSummary, 'observedAt'> & {
    observedAt: StoredSummary['observedAt'] | Array<string | null>;
  };
  const { observedAt } = parsed;
  if (!Array.isArray(observedAt)) return parsed as StoredSummary;
  const named = {} as Record<SummaryPart, string | null>;
  SUMMARY_PARTS.forEach((part, i) => (named[part] = observedAt[i] ?? null));
  return { ...parsed, observedAt: named };
}

export interface SharedParts {
  /** Where the mark starts (its comma). */
  at: number;
  /** The byte range of the parts to copy in its place. */
  start: number;
  end: number;
  /** Where the record goes on after the mark. */
  resume: number;
}

/**
 * Where a record's shared parts are: the mark's position, the range to copy in its place and the
 * position after the mark's closing bracket; undefined when the record has none (or a range that
 * does not lie before the mark, which a record written by encodeRecord never has).
 */
export function sharedParts(record: Buffer): SharedParts | undefined {
  const at = record.indexOf(MARK_BYTES);
  if (at < 0) return undefined;
  let i = at + MARK_BYTES.length;
  let start = 0;
  for (; record[i] !== COMMA; i += 1) {
    const digit = (record[i] ?? -1) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    start = start * 10 + digit;
  }
  let end = 0;
  for (i += 1; record[i] !== CLOSE_BRACKET; i += 1) {
    const digit = (record[i] ?? -1) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    end = end * 10 + digit;
  }
  if (!(start < end && end <= at)) return undefined;
  return { at, start, end, resume: i + 1 };
}

/** A record with its shared parts copied back in (the record itself when it has none). */
export function withSharedParts(record: Buffer): Buffer {
  const shared = sharedParts(record);
  if (shared === undefined) return record;
  return Buffer.concat([
    record.subarray(0, shared.at + 1),
    record.subarray(shared.start, shared.end),
    record.subarray(shared.resume),
  ]);
}

/**
 * The record without its closing brace and observedAt, the one environment's parts stored once;
 * undefined unless the app has exactly one environment whose parts are the app's, each alike.
 */
function sharedForm(rest: Omit<StoredSummary, 'observedAt'>): string | undefined {
  const entries = Object.entries(rest.environments ?? {});
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only === undefined) return undefined;
  const [name, environment] = only;
  const parts = SHARED_PARTS.map((part) => JSON.stringify(rest[part]) as string | undefined);
  // A part absent (records of older versions have no rollout) or different: stored whole. The
  // fold hands a lone environment's sync, health and images to the app as they are: no compare.
  const differs = (part: (typeof SHARED_PARTS)[number], i: number): boolean =>
    parts[i] === undefined ||
    (environment[part] !== rest[part] && JSON.stringify(environment[part]) !== parts[i]);
  if (SHARED_PARTS.some(differs)) return undefined;
  const { application, namespace, lastActivityAt, ...others } = environment;
  // Members the entry writes itself: absent ones (a malformed summary) keep the whole form.
  if ([application, namespace, lastActivityAt].some((v) => v === undefined)) return undefined;
  // An environment with a member this form does not know is stored whole.
  if (Object.keys(others).some((key) => !(SHARED_PARTS as readonly string[]).includes(key))) return undefined;
  const { environments: _environments, ...app } = rest;
  for (const part of SHARED_PARTS) delete (app as Partial<typeof app>)[part];
  const head = `${JSON.stringify(app).slice(0, -1)},`;
  const members = SHARED_PARTS.map((part, i) => `${JSON.stringify(part)}:${parts[i] as string}`).join(',');
  const start = Buffer.byteLength(head);
  const end = start + Buffer.byteLength(members);
  const entry =
    `{"application":${JSON.stringify(application)},"namespace":${JSON.stringify(namespace)}` +
    `${SHARED_PARTS_MARK}${start},${end}],"lastActivityAt":${JSON.stringify(lastActivityAt)}}`;
  return `${head}${members},"environments":{${JSON.stringify(name)}:${entry}}`;
}
