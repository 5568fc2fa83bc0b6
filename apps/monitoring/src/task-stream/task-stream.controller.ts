import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, StreamRoute, type Principal } from '@platform/service-runtime';
import { Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TopicStreams } from '../streams/topic-streams';
import { TaskStreamService } from './task-stream.service';

export class TaskIdParam {
  @Matches(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'id must be a task id (a workflow name)' })
  id!: string;
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TaskStreamController {
  constructor(
    private readonly tasks: TaskStreamService,
    private readonly streams: TopicStreams,
  ) {}

  @Get(':id/stream')
  @StreamRoute()
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary:
      'SSE: `snapshot` {task, logs}, then `task` on every change and `log` per step line; `complete` with the finished task ends it',
  })
  async stream(
    @Param() { id }: TaskIdParam,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const topic = await this.tasks.topic(id, principal);
    this.streams.serve(req, reply, '/tasks/:id/stream', principal, [topic], false);
  }
}
