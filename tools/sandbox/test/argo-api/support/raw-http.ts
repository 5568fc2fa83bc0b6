import http from 'node:http';
import net from 'node:net';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** One request with http.request; the body is JSON-encoded unless it is a string. */
export function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpResult> {
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, baseUrl), { method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * A raw TCP connection speaking HTTP/1.1 by hand, to see the exact bytes (status line, headers,
 * chunk framing) and when they arrive.
 */
export class RawConnection {
  readonly received: Buffer[] = [];
  private closed = false;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  static async get(baseUrl: string, path: string, headers: Record<string, string>): Promise<RawConnection> {
    const url = new URL(baseUrl);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: ${url.host}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    return new RawConnection(socket);
  }

  get text(): string {
    return Buffer.concat(this.received).toString('utf8');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves once the bytes received so far satisfy `predicate`; rejects if the connection closes first. */
  waitFor(predicate: (text: string) => boolean, what = 'expected bytes'): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(this.text)) {
          this.waiters.delete(check);
          resolve(this.text);
        } else if (this.closed) {
          this.waiters.delete(check);
          reject(new Error(`connection closed before ${what}; got ${JSON.stringify(this.text)}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves when the server closes the connection or ends the chunked body. */
  waitForEnd(): Promise<string> {
    return this.waitFor(
      (text) => text.endsWith('\r\n0\r\n\r\n') || (text.startsWith('HTTP/1.1') && this.closed),
      'the end',
    );
  }

  close(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Splits a raw HTTP/1.1 response into status, headers and the payloads of its chunks. */
export function parseRaw(raw: string): {
  status: number;
  headers: Record<string, string>;
  chunks: string[];
  ended: boolean;
} {
  const bytes = Buffer.from(raw, 'utf8');
  const headEnd = bytes.indexOf('\r\n\r\n');
  const head = bytes.subarray(0, headEnd).toString('utf8').split('\r\n');
  const status = Number((head[0] ?? '').split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const chunks: string[] = [];
  let offset = headEnd + 4;
  let ended = false;
  while (offset < bytes.length) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(bytes.subarray(offset, lineEnd).toString('utf8'), 16);
    if (size === 0) {
      ended = true;
      break;
    }
    if (lineEnd + 2 + size > bytes.length) break;
    chunks.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size).toString('utf8'));
    offset = lineEnd + 2 + size + 2;
  }
  return { status, headers, chunks, ended };
}
