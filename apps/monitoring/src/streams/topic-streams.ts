import { Injectable } from '@nestjs/common';
import {
  accessRecheck,
  lastEventId,
  SseStreams,
  StreamQuota,
  TOKEN_EXPIRED_EVENT,
  type Principal,
  type SseStream,
} from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MonitoringConfig } from '../config/monitoring-config';
import { StreamClient, type ClientSink } from './stream-client';
import { StreamStart } from './stream-start';
import { frameOf, type SnapshotView, type TopicSource } from './topic';
import { TopicHub } from './topic-hub';
import { TopicSession } from './topic-session';
import { holdFor } from './stream-hold';
import { UserTopics } from './user-topics';

/** One topic a client asked for, already authorized. */
export interface TopicRequest {
  /** How the client names it (`status:shop`); the key of its position in a multiplexed cursor. */
  ref: string;
  /** Identity of the shared topic (clients with equal keys share one upstream). */
  key: string;
  source: () => TopicSource;
  view?: SnapshotView;
  /** The access check the topic was opened with, run again while the stream stays open. */
  authorize?: () => Promise<unknown>;
}

export interface TopicStreamOptions {
  /** Several topics on one stream, each event's id a multiplexed cursor (the `/stream` route). */
  multiplexed: boolean;
}

/**
 * Serves topics over one SSE response: headers at once, `retry:`, resume from Last-Event-ID or a
 * snapshot, a bounded per-client buffer (overflow closes the client), and, when the caller's token
 * expires, an `unauthorized` event that ends the stream instead of leaving it open forever. A
 * client that comes back after the last event of every topic gets 204 No Content: the one answer
 * that makes an EventSource stop reconnecting (any other ends in a reconnect every `retry:`).
 * Each stream takes one of its user's stream slots (StreamQuota) and counts its topics against the
 * user's distinct topics (UserTopics), before it opens; both are given back when it ends.
 */
@Injectable()
export class TopicStreams {
  constructor(
    private readonly hub: TopicHub,
    private readonly sse: SseStreams,
    private readonly config: MonitoringConfig,
    private readonly quota: StreamQuota,
    private readonly userTopics: UserTopics,
  ) {}

  async serve(
    req: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    topics: TopicRequest[],
    { multiplexed }: TopicStreamOptions,
  ): Promise<void> {
    // The request's clock ran out while its access was checked, and it was answered (503): a
    // stream started now would write into a finished response.
    if (reply.sent) return;
    const refs = topics.map((t) => t.ref);
    const start = StreamStart.of(lastEventId(req.headers, req.query), refs, multiplexed);
    if (start.allEnded(refs)) {
      await reply.code(204).header('cache-control', 'no-store').send();
      return;
    }
    const held = holdFor(principal, topics, start, this.quota, this.userTopics);
    const stream = this.sse.open(req, reply, {
      retryMs: this.config.streams.retryMs,
      maxBufferedBytes: this.config.streams.clientBufferBytes,
      closeAt: principal.expiresAt,
      closeWith: TOKEN_EXPIRED_EVENT,
      // The app may move to another team (or go) while the stream is open.
      recheck: accessRecheck(() =>
        Promise.all(topics.map((topic) => topic.authorize?.() ?? Promise.resolve())),
      ),
    });
    const client = new StreamClient(sseSink(stream), refs, start, multiplexed);
    const session = new TopicSession(this.hub);
    stream.onClose(() => {
      session.close();
      held.topics.release();
      held.freeSlot();
    });
    // A client gone while its access was being checked has its stream closed already: the topics
    // acquired below are released at once.
    session.open(topics, start, client, () => stream.closed);
    if (stream.closed) session.close();
  }
}

function sseSink(stream: SseStream): ClientSink {
  return {
    send: (message, shared) => {
      if (shared !== undefined) stream.sendFrame(frameOf(shared));
      else stream.send(message);
    },
    end: () => stream.close(),
  };
}
