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
 * Frames of one turn past this many times the client's buffer are written at once (and then
 * count against it): a reading client takes a burst at the end of the turn, but a turn's frames
 * must not pile up without bound either.
 */
const PENDING_PER_BUFFER = 16;

/** Streams with frames waiting for the end of this turn of the event loop; one flush for all. */
const waiting = new Set<SseStream>();
let flushScheduled = false;

function flushWaiting(): void {
  flushScheduled = false;
  for (const stream of waiting) stream.flush();
  waiting.clear();
}

/**
 * One open Server-Sent Event response. Headers go out at once (not with the first event) so that
 * proxies and browsers see the stream open immediately; a client that stops reading is closed
 * with an `overflow` event instead of letting its buffer grow without bound. Heartbeats and
 * deadlines are driven from outside ({@link SseStreams}' one timer for all streams): a timer per
 * stream costs each of thousands of idle connections a few hundred bytes. Frames sent in one turn
 * of the event loop go out in one write (flushed by one setImmediate for all streams): a merged
 * log of a thousand lines a second arrives a few lines per upstream read, and a write (a writev
 * syscall) per line per client was most of the CPU a hundred viewers cost.
 */
export class SseStream {
  private ended = false;
  /** Frames sent this turn of the event loop, not yet written. */
  private pending = '';
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

  /** Writes what was sent this turn of the event loop (called once the turn is over). */
  flush(): void {
    const frames = this.pending;
    this.pending = '';
    if (frames !== '' && !this.ended) this.res.write(frames);
  }

  /** Sends a last event, then ends the response. */
  close(last?: SseMessage): void {
    if (this.ended) return;
    this.flush();
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
    // What the client has not taken of earlier turns: this turn's frames are not written yet, and
    // a burst that a reading client takes at once is no sign of a slow one.
    if (this.res.writableLength > this.maxBufferedBytes) {
      const socket = this.res.socket;
      // Not worth sending to a client that is this far behind: it reconnects for a snapshot.
      this.pending = '';
      this.close({
        event: 'overflow',
        data: { message: 'client too slow; reconnect to get a fresh snapshot' },
      });
      // A client that never reads would keep what is buffered for it (here and in the kernel)
      // alive: give it a moment to take the overflow event, then drop the connection.
      setTimeout(() => socket?.destroy(), OVERFLOW_LINGER_MS).unref();
      return false;
    }
    if (this.pending === '') {
      waiting.add(this);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushWaiting);
      }
    }
    this.pending += frame;
    if (this.pending.length > this.maxBufferedBytes * PENDING_PER_BUFFER) this.flush();
    return true;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
