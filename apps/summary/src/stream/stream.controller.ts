import { Controller, Get, Inject, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiStream,
  CurrentPrincipal,
  lastEventId,
  longPollOf,
  LongPolls,
  redisCall,
  SseStreams,
  StreamQuery,
  StreamQuota,
  StreamRoute,
  TOKEN_EXPIRED_EVENT,
  type LongPollRequest,
  type Principal,
  type RedisClient,
} from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { SourcesCache } from '../store/sources-cache';
import { SummaryKeys } from '../store/summary-keys';
import { SummaryChangeFeed } from './change-feed';
import { pollSink, sseSink } from './session-sinks';
import { catchUpSession } from './stream-catch-up';
import { StreamSession } from './stream-session';

const RETRY_MS = 2000;
/** A replay of up to REPLAY_MAX full records may queue a few megabytes for a moment. */
const CLIENT_BUFFER_BYTES = 4 * 1024 * 1024;

@ApiTags('stream')
@ApiBearerAuth()
@Controller('stream')
export class StreamController {
  private readonly logger = new Logger(StreamController.name);

  constructor(
    private readonly streams: SseStreams,
    private readonly polls: LongPolls,
    private readonly feed: SummaryChangeFeed,
    @Inject(Redis) private readonly redis: RedisClient,
    private readonly keys: SummaryKeys,
    private readonly sources: SourcesCache,
    private readonly quota: StreamQuota,
  ) {}

  /**
   * Every change to an app the caller may see, each with the id of its entry in the Redis stream
   * `<prefix>changes` (shared by every replica, so a client may resume on any of them).
   */
  @Get()
  @StreamRoute()
  @ApiOperation({
    summary: "Server-Sent Events: AppSummary changes of the caller's teams' apps, resumable",
    description:
      "`app` carries an app's current AppSummary, `deleted` `{app}` of an app that is gone. Every event has an `id:`; reconnect with `Last-Event-ID` (or `?lastEventId=`) to get the changes after it, then live ones, without gap or repeat (an app changed several times is replayed once, as it is now). A connection without a usable id starts with `snapshot` `{reason, message}` (reason `new`, `expired`, `too-far-behind` or `history-lost`): load (or reload) the list with GET /apps, and apply the events that follow it. With `wait` (long-poll form, for gateways that hold streamed responses): the same events and ids as plain JSON `{events, cursor}`, as soon as there is one after `cursor` or after `wait` seconds.",
  })
  @ApiStream()
  async stream(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
    @Query() query: StreamQuery,
  ): Promise<void> {
    const poll = longPollOf(query);
    if (poll !== undefined) return this.poll(reply, principal, poll);
    const cursor = lastEventId(req.headers, req.query);
    // One of the user's stream slots, or 429 TOO_MANY_STREAMS before the stream opens.
    const freeSlot = this.quota.take(principal);
    reply.hijack();
    const stream = this.streams.start(reply.raw, '/stream', RETRY_MS, {
      maxBufferedBytes: CLIENT_BUFFER_BYTES,
      closeAt: principal.expiresAt,
      closeWith: TOKEN_EXPIRED_EVENT,
    });
    stream.onClose(freeSlot);
    const session = new StreamSession(sseSink(stream), principal);
    // Listening before the catch-up is read: what arrives meanwhile waits in the session.
    stream.onClose(this.feed.listen((notice) => session.notice(notice)));
    req.raw.on('close', () => stream.close());
    try {
      await this.feed.started;
      await catchUpSession(session, principal, cursor, this.redis, this.keys, this.sources);
      session.goLive();
    } catch (error) {
      // Redis away: the client reconnects (after `retry:`) with its Last-Event-ID and resumes.
      this.logger.warn(`summary stream catch-up failed: ${(error as Error).message}`);
      stream.close();
    }
  }

  /** The long-poll form: the same session, answered as JSON once it has an event (or the wait is over). */
  private async poll(reply: FastifyReply, principal: Principal, request: LongPollRequest): Promise<void> {
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
      await redisCall('catch up a stream', () =>
        catchUpSession(session, principal, request.cursor, this.redis, this.keys, this.sources),
      );
    } catch (error) {
      poll.abandon();
      throw error;
    }
    session.goLive();
    await this.polls.respond(reply, poll);
  }
}
