import { Injectable } from '@nestjs/common';
import {
  LongPolls,
  StreamQuota,
  TOKEN_EXPIRED_EVENT,
  type LongPoll,
  type LongPollRequest,
  type Principal,
} from '@platform/service-runtime';
import type { FastifyReply } from 'fastify';
import { MonitoringConfig } from '../config/monitoring-config';
import { StreamClient, type ClientSink } from './stream-client';
import { StreamStart } from './stream-start';
import { TopicHub } from './topic-hub';
import { TopicSession } from './topic-session';
import { holdFor } from './stream-hold';
import type { TopicRequest, TopicStreamOptions } from './topic-streams';
import { UserTopics } from './user-topics';

/**
 * Serves topics as long polls, for clients behind a gateway that holds a response until it ends
 * (Zuul 1): plain JSON `{events, cursor}` as soon as there is an event after the cursor, or empty
 * after the wait. The events, ids and cursors are exactly the SSE form's, so one works as the
 * other; a cursor past the end of every topic is answered 204, as on the SSE form. Between polls
 * the client's topics are held for STREAM_POLL_HOLD_MS, so the next poll resumes from its cursor.
 * A waiting poll holds one of its user's stream slots, and its topics count against the user's
 * distinct topics until that hold ends.
 */
@Injectable()
export class TopicPolls {
  constructor(
    private readonly hub: TopicHub,
    private readonly polls: LongPolls,
    private readonly config: MonitoringConfig,
    private readonly quota: StreamQuota,
    private readonly userTopics: UserTopics,
  ) {}

  async serve(
    reply: FastifyReply,
    principal: Principal,
    topics: TopicRequest[],
    { multiplexed, request }: TopicStreamOptions & { request: LongPollRequest },
  ): Promise<void> {
    const refs = topics.map((t) => t.ref);
    const start = StreamStart.of(request.cursor, refs, multiplexed);
    if (start.allEnded(refs)) {
      await reply.code(204).header('cache-control', 'no-store').send();
      return;
    }
    const held = holdFor(principal, topics, start, this.quota, this.userTopics);
    const poll = this.polls.start(reply, {
      cursor: request.cursor ?? '',
      waitMs: request.waitMs,
      expiry:
        principal.expiresAt === undefined
          ? undefined
          : { at: principal.expiresAt, last: TOKEN_EXPIRED_EVENT },
    });
    const session = new TopicSession(this.hub);
    session.open(
      topics,
      start,
      new StreamClient(pollSink(poll), refs, start, multiplexed),
      () => poll.finished,
    );
    void poll.answer.then(() => {
      const holdMs = this.config.streams.pollHoldMs;
      session.close(holdMs);
      // The slot is free once answered; the topics stay the user's while they are held.
      held.freeSlot();
      setTimeout(() => held.topics.release(), holdMs).unref();
    });
    await this.polls.respond(reply, poll);
  }
}

function pollSink(poll: LongPoll): ClientSink {
  return {
    send: ({ event, id, data }) => void poll.add({ event, id, data }),
    end: () => poll.finish(),
  };
}
