import { Injectable, Logger } from '@nestjs/common';
import {
  LongPolls,
  redisCall,
  SseStreams,
  StreamQuota,
  TOKEN_EXPIRED_EVENT,
  lastEventId,
  type LongPollRequest,
  type Principal,
} from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SummaryChangeFeed } from './change-feed';
import { pollSink, sseSink } from './session-sinks';
import { StreamCatchUp } from './stream-catch-up';
import { StreamSession } from './stream-session';

const RETRY_MS = 2000;
/** A replay of up to REPLAY_MAX full records may queue a few megabytes for a moment. */
const CLIENT_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * A caller's session of the changes stream, as Server-Sent Events or long polls: it listens to the
 * live feed, is caught up from Redis, then goes live. Each holds one of its user's stream slots.
 */
@Injectable()
export class StreamService {
  private readonly logger = new Logger(StreamService.name);

  constructor(
    private readonly streams: SseStreams,
    private readonly polls: LongPolls,
    private readonly feed: SummaryChangeFeed,
    private readonly catchUp: StreamCatchUp,
    private readonly quota: StreamQuota,
  ) {}

  async sse(req: FastifyRequest, reply: FastifyReply, principal: Principal): Promise<void> {
    const cursor = lastEventId(req.headers, req.query);
    // One of the user's stream slots, or 429 TOO_MANY_STREAMS before the stream opens.
    const freeSlot = this.quota.take(principal);
    const stream = this.streams.open(req, reply, {
      retryMs: RETRY_MS,
      maxBufferedBytes: CLIENT_BUFFER_BYTES,
      closeAt: principal.expiresAt,
      closeWith: TOKEN_EXPIRED_EVENT,
    });
    stream.onClose(freeSlot);
    const session = new StreamSession(sseSink(stream), principal);
    // Listening before the catch-up is read: what arrives meanwhile waits in the session.
    stream.onClose(this.feed.listen((notice) => session.notice(notice)));
    try {
      await this.feed.started;
      await this.catchUp.run(session, principal, cursor);
      session.goLive();
    } catch (error) {
      // Redis away: the client reconnects (after `retry:`) with its Last-Event-ID and resumes.
      this.logger.warn(`summary stream catch-up failed: ${(error as Error).message}`);
      stream.close();
    }
  }

  /** The long-poll form: the same session, answered as JSON once it has an event (or the wait is over). */
  async poll(reply: FastifyReply, principal: Principal, request: LongPollRequest): Promise<void> {
    // A waiting poll holds one of the user's stream slots too.
    const freeSlot = this.quota.take(principal);
    const poll = this.polls.start(reply, {
      cursor: request.cursor ?? '',
      waitMs: request.waitMs,
      expiry:
        principal.expiresAt === undefined
          ? undefined
          : { at: principal.expiresAt, last: TOKEN_EXPIRED_EVENT },
    });
    void poll.answer.then(freeSlot);
    const session = new StreamSession(pollSink(poll), principal);
    void poll.answer.then(this.feed.listen((notice) => session.notice(notice)));
    try {
      await Promise.race([this.feed.started, poll.answer]);
      if (poll.finished) return await this.polls.respond(reply, poll);
      await redisCall('catch up a stream', () => this.catchUp.run(session, principal, request.cursor));
    } catch (error) {
      poll.abandon();
      throw error;
    }
    session.goLive();
    await this.polls.respond(reply, poll);
  }
}
