import { Injectable } from '@nestjs/common';
import type { LongPollRequest, Principal } from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TopicPolls } from './topic-polls';
import { TopicStreams, type TopicRequest } from './topic-streams';

/** What a stream route answers with: Server-Sent Events, or the long-poll form when asked for. */
@Injectable()
export class TopicResponder {
  constructor(
    private readonly streams: TopicStreams,
    private readonly polls: TopicPolls,
  ) {}

  respond(
    req: FastifyRequest,
    reply: FastifyReply,
    route: string,
    principal: Principal,
    topics: TopicRequest[],
    options: { multiplexed: boolean; poll: LongPollRequest | undefined },
  ): Promise<void> {
    return options.poll === undefined
      ? this.streams.serve(req, reply, route, principal, topics, options.multiplexed)
      : this.polls.serve(reply, principal, topics, options.multiplexed, options.poll);
  }
}
