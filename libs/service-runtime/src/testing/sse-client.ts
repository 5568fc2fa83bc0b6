import http from 'node:http';

/** A raw view of an SSE response for byte-level assertions: status, headers and the text so far. */
export interface RawSseResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text(): string;
  /** Resolves once the received text satisfies `predicate` (rejects after `timeoutMs`). */
  waitFor(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  ended: Promise<string>;
  close(): void;
}

/** Opens `url` and resolves as soon as the response headers arrive, before any body byte. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<RawSseResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let body = '';
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        for (const waiter of [...waiters]) waiter();
      });
      const ended = new Promise<string>((done) => res.on('close', () => done(body)));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => body,
        ended,
        close: () => req.destroy(),
        waitFor: (predicate, timeoutMs = 5000) =>
          new Promise((ok, fail) => {
            const check = (): void => {
              if (!predicate(body)) return;
              waiters.delete(check);
              clearTimeout(timer);
              ok(body);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`timed out waiting for SSE data; received so far: ${JSON.stringify(body)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
      });
    });
    req.on('error', reject);
  });
}
