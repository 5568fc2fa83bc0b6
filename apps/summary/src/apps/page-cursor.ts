import { InvalidRequestError } from '@platform/errors';
import type { SortOrder } from '../store/summary-reader';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ACTIVITY = /^\d{1,16}\|[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Cursors are positions, not offsets: the last app of a page (by name, or by activity and name).
 * A page after it starts right behind it however many apps were added or removed meanwhile.
 * Opaque to clients (base64url), and bound to the sort it was made for.
 */
export function encodeCursor(sort: SortOrder, position: string): string {
  return Buffer.from(`${sort}:${position}`, 'utf8').toString('base64url');
}

export function decodeCursor(sort: SortOrder, cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const position = text.slice(colon + 1);
  const valid = kind === sort && (sort === 'name' ? NAME : ACTIVITY).test(position);
  if (!valid) {
    throw new InvalidRequestError(
      'INVALID_CURSOR',
      `cursor is not a nextCursor of a list sorted by ${sort}`,
      {
        cursor,
      },
    );
  }
  return position;
}
