import { SUMMARY_PARTS } from '@platform/domain';
import { OBSERVED_ARRAY_MARK, sharedParts, type SharedParts } from './stored-record';

const MARK = Buffer.from(OBSERVED_ARRAY_MARK);
/** What each value of the stored observedAt array is preceded by in the response. */
const NAMES = SUMMARY_PARTS.map((part, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(part)}:`));
/** The most a record grows by when its parts are named again ('[' and the commas are replaced). */
const MAX_GROWTH = NAMES.reduce((n, name) => n + name.length - 1, 0);
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/** The stale suffix's bytes: it changes only with the sources' staleness, so nearly never. */
let suffixText = '';
let suffixBytes = Buffer.alloc(0);

/**
 * One page of the list: `head`, the records as Redis returned them (each with `suffix`, the stale
 * fields, in place of its closing brace and its observedAt named again, see stored-record.ts),
 * comma-separated, then `tail`.
 *
 * The records come as Buffers and are copied into a buffer from `lend` (given the most the page
 * can take), which is returned cut to the page: the ~100 KB of a page are never decoded, joined,
 * flattened or encoded again (see PageBuffers for why not a string). Empty records (an app
 * removed between the index read and the GET) are skipped.
 */
export function pageBody(
  head: string,
  records: readonly Buffer[],
  suffix: string,
  tail: string,
  lend: (bytes: number) => Buffer,
): Buffer {
  if (suffix !== suffixText) {
    suffixText = suffix;
    suffixBytes = Buffer.from(suffix);
  }
  // Each record's shared parts, found once: for the room they take and for the copy.
  const shared = records.map((record) => sharedParts(record));
  let bound = Buffer.byteLength(head) + Buffer.byteLength(tail);
  records.forEach((record, i) => {
    const parts = shared[i];
    bound += record.length + suffixBytes.length + MAX_GROWTH + 1;
    if (parts !== undefined) bound += parts.end - parts.start;
  });
  const out = lend(bound);
  let pos = out.write(head, 0);
  let first = true;
  records.forEach((record, i) => {
    if (record.length === 0) return;
    if (!first) out[pos++] = COMMA;
    first = false;
    pos = copyRecord(record, shared[i], out, pos);
    pos = copyBytes(suffixBytes, out, pos);
  });
  pos += out.write(tail, pos);
  return out.subarray(0, pos);
}

/**
 * Copies one record without its closing brace: its shared parts copied back in (stored-record.ts)
 * and its observedAt array written as an object. The tail is copied byte by byte: a few hundred
 * bytes in short pieces, which Buffer#copy's per-call checks made the most expensive part of a page.
 */
function copyRecord(record: Buffer, shared: SharedParts | undefined, out: Buffer, at: number): number {
  const end = record.length - 1;
  let pos = at;
  let from = 0;
  if (shared !== undefined) {
    // Up to and with the mark's comma, then the parts in the mark's place.
    pos += record.copy(out, pos, 0, shared.at + 1);
    pos += record.copy(out, pos, shared.start, shared.end);
    from = shared.resume;
  }
  const mark = record.lastIndexOf(MARK);
  if (mark < from) return pos + record.copy(out, pos, from, end);
  const first = mark + MARK.length;
  // Everything before the array's '[', then its values, each after its part's name.
  pos += record.copy(out, pos, from, first - 1);
  const close = end - 1;
  let part = 0;
  if (first < close) pos = copyBytes(NAMES[0] as Buffer, out, pos);
  for (let i = first; i < close; i += 1) {
    const byte = record[i] as number;
    if (byte !== COMMA) out[pos++] = byte;
    else if (++part < NAMES.length) pos = copyBytes(NAMES[part] as Buffer, out, pos);
    else break;
  }
  out[pos++] = CLOSE_BRACE;
  return pos;
}

function copyBytes(bytes: Buffer, out: Buffer, at: number): number {
  let pos = at;
  for (let i = 0; i < bytes.length; i += 1) out[pos++] = bytes[i] as number;
  return pos;
}
