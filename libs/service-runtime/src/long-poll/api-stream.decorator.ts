import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
} from '@nestjs/swagger';

/** One event of a long-poll answer (OpenAPI schema). */
export class PolledEventDto {
  @ApiProperty({ description: 'The event name, as `event:` on the SSE form' })
  event!: string;

  @ApiPropertyOptional({ description: 'The event id, as `id:` on the SSE form: a cursor' })
  id?: string;

  @ApiProperty({ description: 'The event data, as `data:` on the SSE form' })
  data!: unknown;
}

/** A long-poll answer (OpenAPI schema). */
export class LongPollAnswerDto {
  @ApiProperty({
    type: [PolledEventDto],
    description: 'The events after the cursor, oldest first; empty when the wait ran out',
  })
  events!: PolledEventDto[];

  @ApiProperty({ description: 'Poll again with this cursor (the last event id, or the cursor asked with)' })
  cursor!: string;
}

/**
 * Documents a stream route: Server-Sent Events, or with `wait` the long-poll form's JSON answer,
 * and 204 for a client already past the stream's last event.
 */
export function ApiStream(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(LongPollAnswerDto, PolledEventDto),
    ApiProduces('text/event-stream', 'application/json'),
    ApiHeader({
      name: 'Last-Event-ID',
      required: false,
      description: 'SSE form: resume after this event id',
    }),
    ApiOkResponse({
      description:
        'text/event-stream: the events as they happen. With `wait` (long-poll form): application/json, the events after `cursor`',
      content: {
        'text/event-stream': { schema: { type: 'string' } },
        'application/json': { schema: { $ref: getSchemaPath(LongPollAnswerDto) } },
      },
    }),
    ApiNoContentResponse({
      description:
        'The Last-Event-ID (or `cursor`) is at the end of the stream: nothing will follow. An EventSource stops reconnecting on it',
    }),
  );
}
