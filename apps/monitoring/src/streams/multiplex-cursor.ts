import { parseReplayPosition, type ReplayPosition } from '@platform/service-runtime';
import { createHash } from 'node:crypto';

/**
 * The `id:` of a multiplexed stream: every topic's position at once, so one Last-Event-ID resumes
 * each topic where it was. `m1~<tag>.<position>~<tag>.<position>...`: `m1` names the format's
 * version, each topic is named by a 4-character tag of how the client named it (`status:shop`)
 * and its position is the topic's own id (`<epoch>.<seq>`, `.end` once it ended). Only URL-safe
 * characters: the same text works as the long-poll form's `?cursor=`. About 20 bytes per topic,
 * so a browser sends back a few hundred bytes on every reconnect.
 */
const VERSION = 'm1';
const SEPARATOR = '~';
const SEGMENT = /^([A-Za-z0-9_-]{4})\.(.+)$/;

/** A topic's name in a cursor: 4 characters (24 bits) of the SHA-256 of its ref. */
export function topicTag(ref: string): string {
  return createHash('sha256').update(ref).digest('base64url').slice(0, 4);
}

/** One topic's part of a cursor, from its tag and its position as the topic's own id. */
export function cursorSegment(tag: string, position: string): string {
  return `${tag}.${position}`;
}

/** The cursor of the topics' segments (undefined: a topic with no position yet, left out). */
export function formatCursor(segments: ReadonlyArray<string | undefined>): string {
  let cursor = VERSION;
  for (const segment of segments) if (segment !== undefined) cursor += SEPARATOR + segment;
  return cursor;
}

/**
 * The positions of a cursor by topic tag. Anything that is not a cursor of this version (another
 * version, a made-up or damaged value, a single topic's id) gives none: every topic then starts
 * from a snapshot, as a client without a cursor does. A tag that appears twice (two topics whose
 * tags collide, about 1 in 100,000 for 20 topics) is dropped: those topics start from snapshots.
 */
export function parseCursor(cursor: string | undefined): Map<string, ReplayPosition> {
  const positions = new Map<string, ReplayPosition>();
  if (cursor === undefined) return positions;
  const [version, ...segments] = cursor.split(SEPARATOR);
  if (version !== VERSION) return positions;
  const repeated = new Set<string>();
  for (const segment of segments) {
    const match = SEGMENT.exec(segment);
    const position = match === null ? undefined : parseReplayPosition(match[2] ?? '');
    if (match === null || position === undefined) return new Map();
    const tag = match[1] ?? '';
    if (positions.has(tag)) repeated.add(tag);
    positions.set(tag, position);
  }
  for (const tag of repeated) positions.delete(tag);
  return positions;
}
