import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiStream, CurrentPrincipal, StreamRoute, type Principal } from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppParam } from '../access/app-param';
import { followedPollOf } from '../access/follow-query';
import { TopicResponder } from '../streams/topic-responder';
import { LogsQuery } from './logs.dto';
import { LogsService } from './logs.service';

@ApiTags('apps')
@ApiBearerAuth()
@Controller('apps')
export class LogsController {
  constructor(
    private readonly logs: LogsService,
    private readonly topics: TopicResponder,
  ) {}

  @Get(':app/logs')
  @StreamRoute()
  @ApiStream()
  @ApiOperation({
    summary:
      "SSE of the merged logs of all the app's pods: `snapshot` {pods, lines} (each container's last `tail` lines younger than `since`), `log` per new line (pod, container, time, line), `pod` as pods join and leave, `reconnecting` while the pod watch is re-established (no line is repeated after it); follow=false: the last lines as JSON; with `wait`: the stream as long polls",
  })
  async logsOf(
    @Param() { app }: AppParam,
    @Query() query: LogsQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const poll = followedPollOf(query);
    if (query.follow === false) {
      await reply.send({ lines: await this.logs.recent(app, principal, query) });
      return;
    }
    const topic = await this.logs.topic(app, principal, query);
    await this.topics.respond(req, reply, principal, [topic], {
      multiplexed: false,
      poll,
    });
  }
}
