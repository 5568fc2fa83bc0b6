import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppStatus } from '@platform/domain';
import {
  ApiStream,
  CurrentPrincipal,
  longPollOf,
  StreamRoute,
  type Principal,
} from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppParam } from '../access/app-param';
import { AppQuery, AppStreamQuery } from '../access/app-stream-query';
import { TopicResponder } from '../streams/topic-responder';
import { AppStatusService } from './app-status.service';

@ApiTags('apps')
@ApiBearerAuth()
@Controller('apps')
export class AppStatusController {
  constructor(
    private readonly status: AppStatusService,
    private readonly topics: TopicResponder,
  ) {}

  @Get(':app/status')
  @ApiOperation({ summary: "The app's current Argo CD sync, health, operation and per-resource health" })
  current(
    @Param() { app }: AppParam,
    @Query() query: AppQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AppStatus> {
    return this.status.current(app, principal, query.environment);
  }

  @Get(':app/status/stream')
  @StreamRoute()
  @ApiStream()
  @ApiOperation({
    summary:
      'SSE: `snapshot`, then `status` on every change; `reconnecting` + `snapshot` after an upstream drop. With `wait`: the same events as long polls',
  })
  async stream(
    @Param() { app }: AppParam,
    @Query() query: AppStreamQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const poll = longPollOf(query);
    const topic = await this.status.topic(app, principal, query.environment);
    await this.topics.respond(req, reply, principal, [topic], {
      multiplexed: false,
      poll,
    });
  }
}
