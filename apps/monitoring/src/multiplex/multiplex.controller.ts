import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, StreamRoute, type Principal } from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppStatusService } from '../app-status/app-status.service';
import { EventsService } from '../events/events.service';
import { LogsService } from '../logs/logs.service';
import type { TopicRequest } from '../streams/topic-streams';
import { TopicStreams } from '../streams/topic-streams';
import { TaskStreamService } from '../task-stream/task-stream.service';
import { parseTopics, TOPIC_KINDS, type TopicRef } from './topics';

@ApiTags('streams')
@ApiBearerAuth()
@Controller('stream')
export class MultiplexController {
  constructor(
    private readonly status: AppStatusService,
    private readonly events: EventsService,
    private readonly logs: LogsService,
    private readonly tasks: TaskStreamService,
    private readonly streams: TopicStreams,
  ) {}

  @Get()
  @StreamRoute()
  @ApiProduces('text/event-stream')
  @ApiQuery({
    name: 'topics',
    description: `Comma-separated <kind>:<name>, kind one of ${TOPIC_KINDS.join(', ')}`,
    example: 'status:shop,events:shop,logs:shop',
  })
  @ApiOperation({
    summary:
      "SSE carrying several topics on one connection: each event's data is {topic, data}; the id resumes every topic at once",
  })
  async stream(
    @Query('topics') topics: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const refs = parseTopics(topics);
    // Every topic is authorized before the stream opens: one refusal refuses the whole stream.
    const requests = await Promise.all(refs.map((ref) => this.request(ref, principal)));
    this.streams.serve(req, reply, '/stream', principal, requests, true);
  }

  private request({ ref, kind, name }: TopicRef, principal: Principal): Promise<TopicRequest> {
    switch (kind) {
      case 'status':
        return this.status.topic(name, principal, ref);
      case 'events':
        return this.events.topic(name, principal, ref);
      case 'logs':
        return this.logs.topic(name, principal, {}, ref);
      case 'task':
        return this.tasks.topic(name, principal, ref);
    }
  }
}
