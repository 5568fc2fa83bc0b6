import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FaultInjector } from '../core/faults';
import type { FieldFilter } from './field-filter';
import type { GrpcError } from './grpc-status';

export interface GatewayStreamOptions {
  upstream: 'argo' | 'argocd';
  /** Interval of the `:` keepalive line in SSE mode (15 s on the real servers). */
  keepaliveMs: number;
  faults: FaultInjector;
  filter?: FieldFilter;
  /**
   * Argo CD's application watch suppresses a message identical (after `fields=`) to the last one
   * sent for the same key; undefined disables suppression.
   */
  dedupKey?: (result: unknown) => string | undefined;
  /** Messages written but not yet flushed beyond which new ones are dropped (a slow subscriber). */
  maxBacklog?: number;
}

/**
 * One server-streaming call as grpc-gateway v1.16 with argoproj/pkg's StreamForwarder writes it:
 * SSE only when `Accept` is exactly `text/event-stream` (frames `data: <json> \n\n` plus the
 * gateway's `\n` delimiter, a `:\n` keepalive), otherwise JSON lines. Headers go out with the
 * first write; an error before it sets the HTTP status of the error. Error frames carry no
 * delimiter and end the body. The stream is registered with the fault injector while open, from the
 * moment its handler has subscribed.
 */
export class GatewayStream {
  readonly sse: boolean;
  private started = false;
  private finished = false;
  private closed = false;
  private cleanedUp = false;
  private backlog = 0;
  private readonly keepalive: NodeJS.Timeout | undefined;
  private untrack: () => void = () => undefined;
  private readonly path: string;
  private readonly drop: () => void;
  private readonly closeHandlers: Array<() => void> = [];
  private readonly lastByKey = new Map<string, string>();

  constructor(
    req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly options: GatewayStreamOptions,
  ) {
    this.sse = req.headers.accept === 'text/event-stream';
    this.path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    this.drop = () => req.socket.destroy();
    res.on('close', () => {
      this.closed = true;
      this.cleanup();
    });
    if (this.sse && options.keepaliveMs > 0) {
      this.keepalive = setInterval(() => this.write(':\n'), options.keepaliveMs);
      this.keepalive.unref();
    }
  }

  /**
   * Registers the stream with the fault injector (count, drop). The gateway calls this once the
   * handler has subscribed, so a counted stream is one that already receives changes.
   */
  track(): void {
    // A stream ended while silenced stays open, and so stays counted.
    if (this.closed || this.cleanedUp) return;
    this.untrack = this.options.faults.track({
      upstream: this.options.upstream,
      path: this.path,
      drop: this.drop,
    });
  }

  /** True until the client leaves or the stream was ended. */
  get open(): boolean {
    return !this.closed && !this.finished;
  }

  /** Runs `handler` once when the stream is over, for whatever reason (release watches here). */
  onClose(handler: () => void): void {
    if (this.cleanedUp) handler();
    else this.closeHandlers.push(handler);
  }

  /** Writes one `{"result": ...}` message. */
  send(result: unknown): void {
    if (!this.open) return;
    if (this.options.maxBacklog !== undefined && this.backlog >= this.options.maxBacklog) return;
    const payload = this.marshal({ result });
    const key = this.options.dedupKey?.(result);
    if (key !== undefined) {
      if (this.lastByKey.get(key) === payload) return;
      this.lastByKey.set(key, payload);
    }
    this.write(`${this.frame(payload)}\n`);
  }

  /** Writes the error frame and ends the body (the status is the error's when nothing was sent yet). */
  fail(error: GrpcError): void {
    if (!this.open) return;
    this.finished = true;
    if (this.silenced()) return;
    const payload = this.marshal({
      error: {
        grpc_code: error.code,
        http_code: error.httpStatus,
        message: error.message,
        http_status: STATUS_CODES[error.httpStatus] ?? '',
      },
    });
    if (!this.started) this.writeHead(error.httpStatus);
    this.res.end(this.frame(payload));
    this.cleanup();
  }

  /** Ends the body cleanly (the server's handler returned). */
  end(): void {
    if (!this.open) return;
    this.finished = true;
    if (this.silenced()) return;
    if (!this.started) this.writeHead(200);
    this.res.end();
    this.cleanup();
  }

  private write(chunk: string): void {
    if (this.closed || this.silenced()) return;
    if (!this.started) this.writeHead(200);
    this.backlog += 1;
    this.res.write(chunk, () => (this.backlog -= 1));
  }

  private writeHead(status: number): void {
    this.started = true;
    this.res.writeHead(
      status,
      this.sse
        ? { 'Content-Type': 'text/event-stream', 'X-Content-Type-Options': 'nosniff' }
        : { 'Content-Type': 'application/json' },
    );
  }

  private marshal(value: unknown): string {
    return JSON.stringify(this.options.filter === undefined ? value : this.options.filter.apply(value));
  }

  private frame(json: string): string {
    return this.sse ? `data: ${json} \n\n` : json;
  }

  private silenced(): boolean {
    return this.options.faults.get(this.options.upstream).silentStreams === true;
  }

  private cleanup(): void {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    if (this.keepalive !== undefined) clearInterval(this.keepalive);
    this.untrack();
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}
