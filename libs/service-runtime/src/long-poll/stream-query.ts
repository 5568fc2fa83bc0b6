import { ApiPropertyOptional } from '@nestjs/swagger';
import { InvalidRequestError } from '@platform/errors';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The longest a long poll may be held open, in seconds. */
export const MAX_WAIT_SECONDS = 30;
/** Longer than any cursor the services issue (a multiplexed one of 20 topics is about 600 characters). */
export const MAX_CURSOR_LENGTH = 4096;

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
const WAIT_RANGE = `wait must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}`;

/**
 * The query every stream route takes: a resume cursor for EventSource (which cannot set headers;
 * its credential, `ticket` or `access_token`, is taken out of the query by the auth guard of a
 * `@StreamRoute()`), and the long-poll form's `cursor` and `wait` for clients behind a gateway
 * that does not pass Server-Sent Events through (it holds a response until it ends).
 */
export class StreamQuery {
  @ApiPropertyOptional({
    description:
      'Resume after this event id, as the Last-Event-ID header does (e.g. kept across a page reload); the header wins when both are sent',
  })
  @IsOptional()
  @IsString()
  lastEventId?: string;

  @ApiPropertyOptional({
    description:
      'Long-poll form: the events after this cursor (an SSE event id, or the `cursor` of the previous answer); without one the answer starts with a `snapshot`. Needs `wait`.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsString({ message: 'cursor must be a string (an event id or the cursor of the previous answer)' })
  @MaxLength(MAX_CURSOR_LENGTH, {
    message: `cursor is longer than ${MAX_CURSOR_LENGTH} characters: it is not one this service issued`,
  })
  cursor?: string;

  @ApiPropertyOptional({
    description:
      'Long-poll form: answer as plain JSON `{events, cursor}` as soon as there is an event after `cursor`, or after this many seconds with none',
    minimum: 0,
    maximum: MAX_WAIT_SECONDS,
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: WAIT_RANGE })
  @Min(0, { message: WAIT_RANGE })
  @Max(MAX_WAIT_SECONDS, { message: WAIT_RANGE })
  wait?: number;
}

/** A request for the long-poll form of a stream. */
export interface LongPollRequest {
  /** Where the client is; undefined: start from a snapshot. */
  cursor: string | undefined;
  waitMs: number;
}

/**
 * The long-poll request a stream query asks for, or undefined for the SSE form. `wait` selects the
 * long-poll form; a `cursor` without it is refused, since an SSE client resumes with Last-Event-ID.
 */
export function longPollOf(query: StreamQuery | undefined): LongPollRequest | undefined {
  if (query?.wait === undefined) {
    if (query?.cursor === undefined) return undefined;
    const problem = `cursor selects the long-poll form and needs wait=<seconds> (0 to ${MAX_WAIT_SECONDS}); the SSE form resumes with the Last-Event-ID header`;
    throw new InvalidRequestError('VALIDATION_FAILED', 'The request has 1 invalid field: wait', {
      fields: [{ field: 'wait', problems: [problem] }],
    });
  }
  const cursor = query.cursor?.trim();
  return { cursor: cursor === '' ? undefined : cursor, waitMs: query.wait * 1000 };
}
