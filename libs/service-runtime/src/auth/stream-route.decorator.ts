import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

export const STREAM_ROUTE = 'platform:stream-route';

/**
 * Marks a GET route as a stream (Server-Sent Events, or its long-poll form). Browsers'
 * EventSource cannot send headers, so only these routes accept a credential in the query string:
 * a single-use `ticket` from `POST <prefix>/stream-tickets` (preferred), or the bearer token as
 * `access_token`. Every other route refuses a credential in the URL. Both parameters are
 * documented on the route and taken out of the query before its own validation sees it.
 */
export const StreamRoute = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(STREAM_ROUTE, true),
    ApiQuery({
      name: 'ticket',
      required: false,
      description:
        'A stream ticket from POST <prefix>/stream-tickets: single-use, valid 60 s, for EventSource (which cannot send headers)',
    }),
    ApiQuery({
      name: 'access_token',
      required: false,
      description:
        'The bearer token, for EventSource; prefer a ticket (a URL ends up in proxy logs and browser history)',
    }),
  );
