import net from 'node:net';

/** A request as bytes go on the wire: nothing is checked or escaped, so malformed ones can be sent. */
export interface RawRequest {
  method: string;
  /** The request target exactly as written in the request line. */
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The response was a stream (SSE) that opened: its body is not read, the connection is dropped. */
  stream: boolean;
}

/**
 * A small HTTP/1.1 client over keep-alive sockets. Node's own clients refuse to send what a fuzzer
 * needs to send (control characters in headers, unescaped targets, lying Content-Length), so this
 * one writes the request as given and reads the answer: Content-Length, chunked, or until close.
 * A stream response (text/event-stream) counts as answered at its headers and its socket is closed.
 */
export class RawHttpClient {
  private readonly idle: net.Socket[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {}

  static forBase(base: string, timeoutMs: number): RawHttpClient {
    const url = new URL(base);
    return new RawHttpClient(url.hostname, Number(url.port), timeoutMs);
  }

  async send(request: RawRequest): Promise<RawResponse | 'timeout' | 'closed'> {
    const reused = this.idle.pop();
    if (reused !== undefined) {
      const outcome = await this.exchange(reused, request);
      // The server may close an idle keep-alive connection as the request goes out: like any
      // client, send it again on a new one (only when nothing at all came back).
      if (outcome !== 'stale') return outcome;
    }
    const outcome = await this.exchange(await this.connect(), request);
    return outcome === 'stale' ? 'closed' : outcome;
  }

  private exchange(
    socket: net.Socket,
    request: RawRequest,
  ): Promise<RawResponse | 'timeout' | 'closed' | 'stale'> {
    const head =
      `${request.method} ${request.target} HTTP/1.1\r\n` +
      request.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
      '\r\n';
    return new Promise((resolve) => {
      const reader = new ResponseReader(request.method === 'HEAD');
      let settled = false;
      const finish = (outcome: RawResponse | 'timeout' | 'closed' | 'stale', reusable: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('close', onClose);
        socket.off('error', onClose);
        if (reusable) this.idle.push(socket);
        else socket.destroy();
        resolve(outcome);
      };
      const onData = (chunk: Buffer): void => {
        const response = reader.push(chunk);
        if (response !== undefined) finish(response, !response.stream && reader.keepAlive());
      };
      const onClose = (): void =>
        finish(reader.atClose() ?? (reader.nothingRead() ? 'stale' : 'closed'), false);
      const timer = setTimeout(() => finish('timeout', false), this.timeoutMs);
      socket.on('data', onData);
      socket.once('close', onClose);
      socket.once('error', onClose);
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), request.body ?? Buffer.alloc(0)]));
    });
  }

  close(): void {
    for (const socket of this.idle.splice(0)) socket.destroy();
  }

  private connect(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.port, this.host, () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
      socket.setNoDelay(true);
    });
  }
}

/** Reads one response from the bytes of a connection. */
class ResponseReader {
  private buffer = Buffer.alloc(0);
  private head: { status: number; headers: Record<string, string>; bodyStart: number } | undefined;

  constructor(private readonly headRequest: boolean) {}

  private received = 0;

  nothingRead(): boolean {
    return this.received === 0;
  }

  push(chunk: Buffer): RawResponse | undefined {
    this.received += chunk.length;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.head ??= parseHead(this.buffer);
    // An interim answer (100 Continue to `Expect: 100-continue`): the real one follows it.
    while (
      this.head !== undefined &&
      this.head.status >= 100 &&
      this.head.status < 200 &&
      this.head.status !== 101
    ) {
      this.buffer = this.buffer.subarray(this.head.bodyStart);
      this.head = parseHead(this.buffer);
    }
    if (this.head === undefined) return undefined;
    const { status, headers, bodyStart } = this.head;
    if ((headers['content-type'] ?? '').startsWith('text/event-stream')) {
      return { status, headers, body: '', stream: true };
    }
    const rest = this.buffer.subarray(bodyStart);
    if (this.headRequest || status === 204 || status === 304) return this.response(Buffer.alloc(0));
    const length = headers['content-length'];
    if (length !== undefined) {
      return rest.length >= Number(length) ? this.response(rest.subarray(0, Number(length))) : undefined;
    }
    if ((headers['transfer-encoding'] ?? '').includes('chunked')) {
      const body = dechunk(rest);
      return body === undefined ? undefined : this.response(body);
    }
    return undefined; // read until close
  }

  /** What the connection's end completes: a body delimited by the close. */
  atClose(): RawResponse | undefined {
    if (this.head === undefined) return undefined;
    return this.response(this.buffer.subarray(this.head.bodyStart));
  }

  keepAlive(): boolean {
    return this.head !== undefined && (this.head.headers.connection ?? '').toLowerCase() !== 'close';
  }

  private response(body: Buffer): RawResponse {
    const head = this.head;
    if (head === undefined) throw new Error('no response head');
    return { status: head.status, headers: head.headers, body: body.toString('utf8'), stream: false };
  }
}

function parseHead(
  buffer: Buffer,
): { status: number; headers: Record<string, string>; bodyStart: number } | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, bodyStart: end + 4 };
}

/** The body of a complete chunked message, or undefined while chunks are missing. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return Buffer.concat(parts);
    if (size === 0) return data.indexOf('\r\n', lineEnd + 2) < 0 ? undefined : Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
