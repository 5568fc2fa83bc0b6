import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, StreamRoute, type Principal } from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppParam } from '../access/app-param';
import { TopicStreams } from '../streams/topic-streams';
import { EventsQuery } from './events.dto';
import { EventsService } from './events.service';

@ApiTags('apps')
@ApiBearerAuth()
@Controller('apps')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly streams: TopicStreams,
  ) {}

  @Get(':app/events')
  @StreamRoute()
  @ApiProduces('text/event-stream', 'application/json')
  @ApiOperation({
    summary:
      "SSE of the app's Kubernetes events: `snapshot` (newest last), then `event` per new or counted-up event; follow=false: the newest as JSON",
  })
  async list(
    @Param() { app }: AppParam,
    @Query() query: EventsQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (query.follow === false) {
      const items = await this.events.recent(app, principal, query.limit ?? 50);
      await reply.send({ items });
      return;
    }
    const topic = await this.events.topic(app, principal);
    this.streams.serve(req, reply, '/apps/:app/events', principal, [topic], false);
  }
}
