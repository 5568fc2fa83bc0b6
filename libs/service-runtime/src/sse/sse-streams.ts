import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { RuntimeConfig } from '../config/service-env';
import { stopRequestClock } from '../limits/request-timeout';
import { HttpMetrics } from '../metrics/http-metrics';
import { ShutdownCoordinator } from '../shutdown/shutdown-coordinator';
import type { SseMessage } from './sse-format';
import { SseStream } from './sse-stream';
import { streamRouteOf } from './stream-route';

const RECONNECT_AFTER_SHUTDOWN_MS = 1000;
/** Deadlines are met within this; heartbeats come at most this much before they are due. */
const MAX_TICK_MS = 1000;

export interface SseStartOptions {
  maxBufferedBytes?: number;
  closeAt?: number;
  closeWith?: SseMessage;
  /**
   * Checks again, every `sseAccessRecheckMs` while the stream is open, that the caller may still
   * see what it streams (e.g. the app's current team): resolves to undefined while they may, or
   * to the last event to close the stream with. A check that fails is tried again next time.
   */
  recheck?: () => Promise<SseMessage | undefined>;
}

/** How a route's stream opens: {@link SseStartOptions} plus the `retry:` suggested to the browser. */
export interface SseOpenOptions extends SseStartOptions {
  retryMs?: number;
}

interface Deadline {
  at: number | undefined;
  last: SseMessage | undefined;
  recheck: (() => Promise<SseMessage | undefined>) | undefined;
  recheckAt: number;
  checking: boolean;
}

/**
 * Opens Server-Sent Event streams and keeps track of them, so that a draining process tells each
 * client to reconnect elsewhere (a `shutdown` event) instead of cutting it off.
 */
@Injectable()
export class SseStreams implements OnModuleDestroy {
  private readonly live = new Map<SseStream, Deadline | undefined>();
  private readonly logger = new Logger(SseStreams.name);
  private readonly drainSubscription: Subscription;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly metrics: HttpMetrics,
    shutdown: ShutdownCoordinator,
  ) {
    this.drainSubscription = shutdown.draining$.subscribe((draining) => {
      if (draining) this.closeAll();
    });
  }

  get count(): number {
    return this.live.size;
  }

  /**
   * Answers a stream route's request with an SSE stream, the one way every service opens one: the
   * reply is taken over from Fastify, the open-streams gauge is labelled with the route it was
   * routed by, and the stream closes when the client leaves, also when it left already (while its
   * access was being checked, its 'close' fired with nothing listening).
   */
  open(req: FastifyRequest, reply: FastifyReply, options: SseOpenOptions = {}): SseStream {
    reply.hijack();
    const stream = this.start(
      reply.raw,
      streamRouteOf(req, this.config.routePrefix),
      options.retryMs,
      options,
    );
    req.raw.on('close', () => stream.close());
    if (req.raw.socket.destroyed) stream.close();
    return stream;
  }

  /**
   * Starts an SSE response on `res`; `route` labels the open-streams gauge. `maxBufferedBytes`
   * bounds what may wait for a slow client before it gets `overflow` and is closed; `closeAt`
   * (ms since the epoch, e.g. when the caller's token expires) ends the stream with `closeWith`.
   */
  start(res: ServerResponse, route: string, retryMs?: number, options: SseStartOptions = {}): SseStream {
    // Answered by the stream from now on: the request's own deadline no longer applies.
    stopRequestClock(res);
    const stream = new SseStream(res, { retryMs, maxBufferedBytes: options.maxBufferedBytes });
    stream.open();
    const deadline =
      options.closeAt === undefined && options.recheck === undefined
        ? undefined
        : {
            at: options.closeAt,
            last: options.closeWith,
            recheck: options.recheck,
            recheckAt: Date.now() + this.config.sseAccessRecheckMs,
            checking: false,
          };
    this.live.set(stream, deadline);
    this.metrics.openStreams.inc({ route });
    stream.onClose(() => {
      this.live.delete(stream);
      this.metrics.openStreams.dec({ route });
      if (this.live.size === 0) this.stopTicking();
    });
    this.startTicking();
    return stream;
  }

  onModuleDestroy(): void {
    this.drainSubscription.unsubscribe();
    this.closeAll();
    this.stopTicking();
  }

  /**
   * One timer for every open stream: heartbeats (never further apart than the configured
   * interval) and deadlines (due within a tick).
   */
  private tick(): void {
    const now = Date.now();
    const heartbeatDue = now - (this.config.sseHeartbeatMs - this.tickMs);
    for (const [stream, deadline] of [...this.live]) {
      if (deadline?.at !== undefined && now >= deadline.at) stream.close(deadline.last);
      else if (stream.lastHeartbeatAt <= heartbeatDue) stream.heartbeat(now);
      if (deadline !== undefined && !stream.closed && now >= deadline.recheckAt)
        this.recheck(stream, deadline, now);
    }
  }

  private recheck(stream: SseStream, deadline: Deadline, now: number): void {
    if (deadline.recheck === undefined || deadline.checking) return;
    deadline.checking = true;
    deadline.recheckAt = now + this.config.sseAccessRecheckMs;
    deadline
      .recheck()
      .then((last) => {
        if (last !== undefined) stream.close(last);
      })
      .catch((error: unknown) => {
        this.logger.warn(
          `could not re-check a stream's access, trying again later: ${(error as Error).message}`,
        );
      })
      .finally(() => {
        deadline.checking = false;
      });
  }

  private get tickMs(): number {
    return Math.max(10, Math.min(MAX_TICK_MS, Math.floor(this.config.sseHeartbeatMs / 4)));
  }

  private startTicking(): void {
    if (this.ticker !== undefined) return;
    this.ticker = setInterval(() => this.tick(), this.tickMs);
    this.ticker.unref();
  }

  private stopTicking(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private closeAll(): void {
    for (const stream of [...this.live.keys()]) {
      stream.close({
        event: 'shutdown',
        data: {
          message: 'server is shutting down; reconnect',
          reconnectAfterMs: RECONNECT_AFTER_SHUTDOWN_MS,
        },
        retry: RECONNECT_AFTER_SHUTDOWN_MS,
      });
    }
  }
}
