import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiStream,
  CurrentPrincipal,
  longPollOf,
  StreamQuery,
  StreamRoute,
  type Principal,
} from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StreamService } from './stream.service';

@ApiTags('stream')
@ApiBearerAuth()
@Controller('stream')
export class StreamController {
  constructor(private readonly sessions: StreamService) {}

  /**
   * Every change to an app the caller may see, each with the id of its entry in the Redis stream
   * `<prefix>changes` (shared by every replica, so a client may resume on any of them).
   */
  @Get()
  @StreamRoute()
  @ApiOperation({
    summary: "Server-Sent Events: AppSummary changes of the caller's teams' apps, resumable",
    description:
      "`app` carries an app's current AppSummary, `deleted` `{app}` of an app that is gone. Every event has an `id:`; reconnect with `Last-Event-ID` (or `?lastEventId=`) to get the changes after it, then live ones, without gap or repeat (an app changed several times is replayed once, as it is now). A connection without a usable id starts with `snapshot` `{reason, message}` (reason `new`, `expired`, `too-far-behind` or `history-lost`): load (or reload) the list with GET /apps, and apply the events that follow it. With `wait` (long-poll form, for gateways that hold streamed responses): the same events and ids as plain JSON `{events, cursor}`, as soon as there is one after `cursor` or after `wait` seconds.",
  })
  @ApiStream()
  stream(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
    @Query() query: StreamQuery,
  ): Promise<void> {
    const poll = longPollOf(query);
    return poll === undefined
      ? this.sessions.sse(req, reply, principal)
      : this.sessions.poll(reply, principal, poll);
  }
}
