import http from 'node:http';

/**
 * A streaming GET read with http.request: the decoded body so far, the SSE/JSON-lines messages
 * in it, and waits for more.
 */
export class StreamReader {
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  body = '';
  ended = false;
  private readonly waiters = new Set<() => void>();
  private readonly req: http.ClientRequest;

  private constructor(
    url: URL,
    headers: Record<string, string>,
    ready: () => void,
    failed: (e: Error) => void,
  ) {
    this.req = http.get(url, { headers }, (res) => {
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      ready();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.body += chunk;
        this.notify();
      });
      res.on('end', () => {
        this.ended = true;
        this.notify();
      });
      res.on('error', () => undefined);
      res.on('close', () => {
        this.ended = true;
        this.notify();
      });
    });
    this.req.on('error', failed);
  }

  /**
   * Opens the stream without waiting for the response: the gateway sends headers only with its
   * first write, which may be a while.
   */
  static start(baseUrl: string, path: string, headers: Record<string, string>): StreamReader {
    return new StreamReader(
      new URL(path, baseUrl),
      headers,
      () => undefined,
      () => undefined,
    );
  }

  /** Opens the stream and resolves once the response headers arrived. */
  static open(baseUrl: string, path: string, headers: Record<string, string>): Promise<StreamReader> {
    return new Promise((resolve, reject) => {
      const reader: StreamReader = new StreamReader(
        new URL(path, baseUrl),
        headers,
        () => resolve(reader),
        reject,
      );
    });
  }

  /** Messages parsed from SSE `data:` lines or JSON lines, keepalives skipped. */
  get messages(): unknown[] {
    const out: unknown[] = [];
    for (const line of this.body.split('\n')) {
      const json = line.startsWith('data: ') ? line.slice(6) : line;
      if (json.trim() === '' || json.startsWith(':')) continue;
      try {
        out.push(JSON.parse(json));
      } catch {
        // an incomplete last line
      }
    }
    return out;
  }

  waitFor(predicate: (reader: StreamReader) => boolean, what = 'the condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(this)) {
          this.waiters.delete(check);
          resolve();
        } else if (this.ended) {
          this.waiters.delete(check);
          reject(new Error(`stream ended before ${what}; body ${JSON.stringify(this.body)}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  waitForMessages(count: number): Promise<unknown[]> {
    return this.waitFor((r) => r.messages.length >= count, `${count} messages`).then(() => this.messages);
  }

  waitForEnd(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.ended) {
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.req.destroy();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
