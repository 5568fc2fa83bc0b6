import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { RuntimeConfig } from '../config/service-env';
import { HttpMetrics } from '../metrics/http-metrics';
import { ShutdownCoordinator } from '../shutdown/shutdown-coordinator';
import { SseStream } from './sse-stream';

const RECONNECT_AFTER_SHUTDOWN_MS = 1000;

/**
 * Opens Server-Sent Event streams and keeps track of them, so that a draining process tells each
 * client to reconnect elsewhere (a `shutdown` event) instead of cutting it off.
 */
@Injectable()
export class SseStreams implements OnModuleDestroy {
  private readonly open = new Set<SseStream>();
  private readonly drainSubscription: Subscription;

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
    return this.open.size;
  }

  /**
   * Starts an SSE response on `res`; `route` labels the open-streams gauge. `maxBufferedBytes`
   * bounds what may wait for a slow client before it gets `overflow` and is closed.
   */
  start(
    res: ServerResponse,
    route: string,
    retryMs?: number,
    options: { maxBufferedBytes?: number } = {},
  ): SseStream {
    const stream = new SseStream(res, {
      heartbeatMs: this.config.sseHeartbeatMs,
      retryMs,
      maxBufferedBytes: options.maxBufferedBytes,
    });
    stream.open();
    this.open.add(stream);
    this.metrics.openStreams.inc({ route });
    stream.onClose(() => {
      this.open.delete(stream);
      this.metrics.openStreams.dec({ route });
    });
    return stream;
  }

  onModuleDestroy(): void {
    this.drainSubscription.unsubscribe();
    this.closeAll();
  }

  private closeAll(): void {
    for (const stream of [...this.open]) {
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
