import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiStream,
  CurrentPrincipal,
  longPollOf,
  StreamRoute,
  type Principal,
} from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppStatusService } from '../app-status/app-status.service';
import { EventsService } from '../events/events.service';
import { LogsService } from '../logs/logs.service';
import { TopicResponder } from '../streams/topic-responder';
import type { TopicRequest } from '../streams/topic-streams';
import { TaskStreamService } from '../task-stream/task-stream.service';
import { MultiplexQuery } from './multiplex.query';
import { parseTopics, type TopicRef } from './topics';

@ApiTags('streams')
@ApiBearerAuth()
@Controller('stream')
export class MultiplexController {
  constructor(
    private readonly status: AppStatusService,
    private readonly events: EventsService,
    private readonly logs: LogsService,
    private readonly tasks: TaskStreamService,
    private readonly topics: TopicResponder,
  ) {}

  @Get()
  @StreamRoute()
  @ApiStream()
  @ApiOperation({
    summary:
      "SSE carrying several topics on one connection: each event's data is {topic, data}; the id holds every topic's position and resumes them all at once (a topic is sent a `snapshot` again only when it cannot be resumed). With `wait`: the same events as long polls",
  })
  async stream(
    @Query() query: MultiplexQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const refs = parseTopics(query.topics);
    const poll = longPollOf(query);
    // Every topic is authorized before the stream opens: one refusal refuses the whole stream,
    // the first refused topic in the order asked (not whichever upstream answered first).
    const settled = await Promise.allSettled(refs.map((ref) => this.request(ref, principal)));
    const refused = settled.find((s) => s.status === 'rejected');
    if (refused !== undefined) throw refused.reason;
    const requests = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    await this.topics.respond(req, reply, principal, requests, { multiplexed: true, poll });
  }

  private request({ ref, kind, name, environment }: TopicRef, principal: Principal): Promise<TopicRequest> {
    switch (kind) {
      case 'status':
        return this.status.topic(name, principal, environment, ref);
      case 'events':
        return this.events.topic(name, principal, environment, ref);
      case 'logs':
        return this.logs.topic(name, principal, environment === undefined ? {} : { environment }, ref);
      case 'task':
        return this.tasks.topic(name, principal, ref);
    }
  }
}
