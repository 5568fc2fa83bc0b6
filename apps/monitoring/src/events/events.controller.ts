import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiStream, CurrentPrincipal, StreamRoute, type Principal } from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppParam } from '../access/app-param';
import { followedPollOf } from '../access/follow-query';
import { TopicResponder } from '../streams/topic-responder';
import { EventsQuery } from './events.dto';
import { EventsService } from './events.service';

@ApiTags('apps')
@ApiBearerAuth()
@Controller('apps')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly topics: TopicResponder,
  ) {}

  @Get(':app/events')
  @StreamRoute()
  @ApiStream()
  @ApiOperation({
    summary:
      "SSE of the app's Kubernetes events: `snapshot` (newest last), then `event` per new or counted-up event; follow=false: the newest as JSON; with `wait`: the stream as long polls",
  })
  async list(
    @Param() { app }: AppParam,
    @Query() query: EventsQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const poll = followedPollOf(query);
    if (query.follow === false) {
      const items = await this.events.recent(app, principal, query.limit ?? 50, query.environment);
      await reply.send({ items });
      return;
    }
    const topic = await this.events.topic(app, principal, query.environment);
    await this.topics.respond(req, reply, principal, [topic], {
      multiplexed: false,
      poll,
    });
  }
}
