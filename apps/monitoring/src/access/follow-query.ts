import { InvalidRequestError } from '@platform/errors';
import { longPollOf, type LongPollRequest, type StreamQuery } from '@platform/service-runtime';

/**
 * The long-poll request of a route that also answers `follow=false` (the newest items at once):
 * the two cannot be combined, since a long poll waits for what comes after a cursor.
 */
export function followedPollOf(query: StreamQuery & { follow?: boolean }): LongPollRequest | undefined {
  const poll = longPollOf(query);
  if (poll !== undefined && query.follow === false) {
    const problem =
      'follow=false answers the newest items at once; wait and cursor belong to the long-poll form of the stream (follow=true)';
    throw new InvalidRequestError('VALIDATION_FAILED', 'The request has 1 invalid field: follow', {
      fields: [{ field: 'follow', problems: [problem] }],
    });
  }
  return poll;
}
