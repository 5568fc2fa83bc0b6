import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiStream,
  CurrentPrincipal,
  longPollOf,
  StreamQuery,
  StreamRoute,
  type Principal,
} from '@platform/service-runtime';
import { Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TopicResponder } from '../streams/topic-responder';
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
    private readonly topics: TopicResponder,
  ) {}

  @Get(':id/stream')
  @StreamRoute()
  @ApiStream()
  @ApiOperation({
    summary:
      'SSE: `snapshot` {task, logs}, then `task` on every change and `log` per step line; `complete` with the finished task ends it (its id ends in `.end`: a reconnect with it gets 204). With `wait`: the same events as long polls',
  })
  async stream(
    @Param() { id }: TaskIdParam,
    @Query() query: StreamQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const poll = longPollOf(query);
    const topic = await this.tasks.topic(id, principal);
    await this.topics.respond(req, reply, principal, [topic], {
      multiplexed: false,
      poll,
    });
  }
}
