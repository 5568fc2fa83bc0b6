/**
 * The `id:` of a multiplexed stream: the position in every topic at once, so one Last-Event-ID
 * resumes each topic where it was. base64url of JSON keeps it one opaque line.
 */
export function encodeCursor(positions: ReadonlyMap<string, string>): string {
  return Buffer.from(JSON.stringify(Object.fromEntries(positions))).toString('base64url');
}

/** The per-topic positions of a cursor; empty for anything that is not one (then: snapshots). */
export function decodeCursor(cursor: string | undefined): Map<string, string> {
  if (cursor === undefined) return new Map();
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return new Map();
    return new Map(
      Object.entries(parsed).filter((pair): pair is [string, string] => typeof pair[1] === 'string'),
    );
  } catch {
    return new Map();
  }
}
