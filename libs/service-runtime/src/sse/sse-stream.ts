import type { ServerResponse } from 'node:http';
import { formatSse, formatSseComment, type SseMessage } from './sse-format';

export interface SseStreamOptions {
  /** Reconnect delay suggested to the browser. */
  retryMs?: number;
  /** Bytes allowed to wait in the socket buffer before the client is judged too slow. */
  maxBufferedBytes?: number;
}

const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
const OVERFLOW_LINGER_MS = 5000;

/**
 * One open Server-Sent Event response. Headers go out at once (not with the first event) so that
 * proxies and browsers see the stream open immediately; a client that stops reading is closed
 * with an `overflow` event instead of letting its buffer grow without bound. Heartbeats and
 * deadlines are driven from outside ({@link SseStreams}' one timer for all streams): a timer per
 * stream costs each of thousands of idle connections a few hundred bytes.
 */
export class SseStream {
  private ended = false;
  /** When the last heartbeat (or the opening) went out, ms since the epoch. */
  lastHeartbeatAt = 0;
  private readonly closeListeners: Array<() => void> = [];
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseStreamOptions,
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    res.on('close', () => this.finish());
  }

  get closed(): boolean {
    return this.ended;
  }

  open(): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.res.flushHeaders();
    if (this.options.retryMs !== undefined) this.res.write(`retry: ${this.options.retryMs}\n\n`);
    this.lastHeartbeatAt = Date.now();
  }

  /** A comment line that keeps an idle connection open through proxies and load balancers. */
  heartbeat(now = Date.now()): void {
    this.lastHeartbeatAt = now;
    this.write(formatSseComment());
  }

  /** Sends an event; returns false when the stream is closed (or was just closed for overflow). */
  send(message: SseMessage): boolean {
    return this.write(formatSse(message));
  }

  /**
   * Sends a frame already encoded with {@link formatSse}: a broadcaster encodes an event once and
   * hands the same string to every client.
   */
  sendFrame(frame: string): boolean {
    return this.write(frame);
  }

  /** Sends a last event, then ends the response. */
  close(last?: SseMessage): void {
    if (this.ended) return;
    if (last !== undefined) this.res.write(formatSse(last));
    this.res.end();
    this.finish();
  }

  onClose(listener: () => void): void {
    if (this.ended) listener();
    else this.closeListeners.push(listener);
  }

  private write(frame: string): boolean {
    if (this.ended) return false;
    if (this.res.writableLength > this.maxBufferedBytes) {
      const socket = this.res.socket;
      this.close({
        event: 'overflow',
        data: { message: 'client too slow; reconnect to get a fresh snapshot' },
      });
      // A client that never reads would keep what is buffered for it (here and in the kernel)
      // alive: give it a moment to take the overflow event, then drop the connection.
      setTimeout(() => socket?.destroy(), OVERFLOW_LINGER_MS).unref();
      return false;
    }
    this.res.write(frame);
    return true;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
