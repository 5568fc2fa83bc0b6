import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/sandbox-context';

/** Past this much unsent data the client is too slow: the server closes it, as the API server does. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * A long-lived chunked response (watch or log follow). It is registered with the fault injector
 * while open so tests can count and drop it, and it writes nothing while `silentStreams` is on:
 * the socket stays open but nothing arrives, like a stalled connection.
 */
export class KubeStream {
  private open = true;
  private readonly closers: Array<() => void> = [];

  constructor(
    private readonly ctx: SandboxContext,
    req: IncomingMessage,
    private readonly res: ServerResponse,
    contentType: string,
  ) {
    const release = ctx.faults.track({
      upstream: 'kube',
      path: req.url ?? '',
      drop: () => req.socket.destroy(),
    });
    res.on('close', () => {
      this.open = false;
      release();
      for (const close of this.closers.splice(0)) close();
    });
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache, private' });
    // The API server sends the headers at once, so clients know the stream is established.
    if (!this.silent) res.flushHeaders();
  }

  get isOpen(): boolean {
    return this.open;
  }

  get silent(): boolean {
    return this.ctx.faults.get('kube').silentStreams === true;
  }

  /** Runs `fn` once when the response closes, whoever closed it. */
  onClose(fn: () => void): void {
    if (this.open) this.closers.push(fn);
    else fn();
  }

  /** Writes unless closed or silenced; returns whether the bytes went out. */
  write(chunk: string): boolean {
    if (!this.open || this.silent) return false;
    this.res.write(chunk);
    if (this.res.writableLength > MAX_BUFFERED_BYTES) this.end();
    return true;
  }

  /** Ends the body cleanly (a silenced stream just stays open, as a stalled one would). */
  end(): void {
    if (!this.open || this.silent) return;
    this.open = false;
    this.res.end();
  }
}
