import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, StreamRoute, type Principal } from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppParam } from '../access/app-param';
import { TopicStreams } from '../streams/topic-streams';
import type { AppStatus } from '@platform/domain';
import { AppStatusService } from './app-status.service';

@ApiTags('apps')
@ApiBearerAuth()
@Controller('apps')
export class AppStatusController {
  constructor(
    private readonly status: AppStatusService,
    private readonly streams: TopicStreams,
  ) {}

  @Get(':app/status')
  @ApiOperation({ summary: "The app's current Argo CD sync, health, operation and per-resource health" })
  current(@Param() { app }: AppParam, @CurrentPrincipal() principal: Principal): Promise<AppStatus> {
    return this.status.current(app, principal);
  }

  @Get(':app/status/stream')
  @StreamRoute()
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary:
      'SSE: `snapshot`, then `status` on every change; `reconnecting` + `snapshot` after an upstream drop',
  })
  async stream(
    @Param() { app }: AppParam,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const topic = await this.status.topic(app, principal);
    this.streams.serve(req, reply, '/apps/:app/status/stream', principal, [topic], false);
  }
}
