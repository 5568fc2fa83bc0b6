import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, SseStreams, canAccessTeam, type Principal } from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SummaryChanges } from './summary-changes';

const RETRY_MS = 2000;

@ApiTags('stream')
@ApiBearerAuth()
@Controller('stream')
export class StreamController {
  constructor(
    private readonly streams: SseStreams,
    private readonly changes: SummaryChanges,
  ) {}

  /**
   * Every change to an app the caller may see: `app` carries the new AppSummary, `deleted` the
   * name of an app that is gone. No replay: a client that reconnects reloads the list first.
   */
  @Get()
  @ApiOperation({ summary: "Server-Sent Events: AppSummary changes of the caller's teams' apps" })
  stream(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): void {
    reply.hijack();
    const stream = this.streams.start(reply.raw, '/stream', RETRY_MS);
    const subscription = this.changes.changes$.subscribe((change) => {
      if (change.type === 'upsert') {
        if (canAccessTeam(principal, change.summary.team))
          stream.send({ event: 'app', data: change.summary });
      } else if (canAccessTeam(principal, change.team === '-' ? null : change.team)) {
        stream.send({ event: 'deleted', data: { app: change.app } });
      }
    });
    stream.onClose(() => subscription.unsubscribe());
    req.raw.on('close', () => stream.close());
  }
}
