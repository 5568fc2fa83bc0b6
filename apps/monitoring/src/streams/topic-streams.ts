import { Injectable } from '@nestjs/common';
import {
  accessRecheck,
  lastEventId,
  SseStreams,
  TOKEN_EXPIRED_EVENT,
  type Principal,
} from '@platform/service-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MonitoringConfig } from '../config/monitoring-config';
import { decodeCursor } from './multiplex-cursor';
import { StreamClient } from './stream-client';
import type { SnapshotView, TopicSource } from './topic';
import { TopicHub } from './topic-hub';

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

/**
 * Serves topics over one SSE response: headers at once, `retry:`, resume from Last-Event-ID or a
 * snapshot, a bounded per-client buffer (overflow closes the client), and, when the caller's token
 * expires, an `unauthorized` event that ends the stream instead of leaving it open forever.
 */
@Injectable()
export class TopicStreams {
  constructor(
    private readonly hub: TopicHub,
    private readonly sse: SseStreams,
    private readonly config: MonitoringConfig,
  ) {}

  serve(
    req: FastifyRequest,
    reply: FastifyReply,
    route: string,
    principal: Principal,
    topics: TopicRequest[],
    multiplexed: boolean,
  ): void {
    const cursor = lastEventId(req.headers, req.query);
    const positions = multiplexed
      ? decodeCursor(cursor)
      : new Map(cursor === undefined ? [] : topics.map((t) => [t.ref, cursor]));
    reply.hijack();
    const stream = this.sse.start(reply.raw, route, this.config.streams.retryMs, {
      maxBufferedBytes: this.config.streams.clientBufferBytes,
      closeAt: principal.expiresAt,
      closeWith: TOKEN_EXPIRED_EVENT,
      // The app may move to another team (or go) while the stream is open.
      recheck: accessRecheck(() =>
        Promise.all(topics.map((topic) => topic.authorize?.() ?? Promise.resolve())),
      ),
    });
    const client = new StreamClient(stream, multiplexed);
    const releases: Array<() => void> = [];
    stream.onClose(() => releases.splice(0).forEach((release) => release()));
    req.raw.on('close', () => stream.close());
    // A client gone while its access was being checked: its 'close' already fired, and would
    // never release the topics acquired below.
    if (req.raw.socket.destroyed) stream.close();
    for (const request of topics) {
      if (stream.closed) break;
      const topic = this.hub.acquire(request.key, request.source);
      const unsubscribe = topic.subscribe(
        client.listener(request.ref),
        positions.get(request.ref),
        request.view,
      );
      releases.push(() => {
        unsubscribe();
        this.hub.release(topic);
      });
    }
    if (stream.closed) releases.splice(0).forEach((release) => release());
  }
}
