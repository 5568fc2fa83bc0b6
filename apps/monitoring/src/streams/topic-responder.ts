import { Injectable } from '@nestjs/common';
import type { LongPollRequest, Principal } from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TopicPolls } from './topic-polls';
import { TopicStreams, type TopicRequest, type TopicStreamOptions } from './topic-streams';

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
    principal: Principal,
    topics: TopicRequest[],
    { multiplexed, poll }: TopicStreamOptions & { poll: LongPollRequest | undefined },
  ): Promise<void> {
    return poll === undefined
      ? this.streams.serve(req, reply, principal, topics, { multiplexed })
      : this.polls.serve(reply, principal, topics, { multiplexed, request: poll });
  }
}
