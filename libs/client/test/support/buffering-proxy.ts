import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy passed on, and what it did with the answer. */
export interface BufferedRequest {
  path: string;
  accept: string | undefined;
  /** The status sent to the client; undefined while the upstream answer has not ended (or never did). */
  status?: number;
  /** A long-poll answer's number of events. */
  events?: number;
}

export interface BufferingProxy {
  origin: string;
  requests: BufferedRequest[];
  close(): Promise<void>;
}

/**
 * A gateway that buffers whole responses, as Zuul 1 does (Netflix/zuul#376): it sends nothing to
 * the client — not even the status line — until the upstream response has ended, then all of it at
 * once. A Server-Sent Event stream through it is never seen; a long poll is.
 */
export async function startBufferingProxy(target: string): Promise<BufferingProxy> {
  const upstream = new URL(target);
  const requests: BufferedRequest[] = [];
  const server = http.createServer((req, res) => {
    const seen: BufferedRequest = { path: req.url ?? '', accept: req.headers.accept };
    requests.push(seen);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
        agent: false,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers = { ...answer.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          seen.status = answer.statusCode ?? 0;
          if ((answer.headers['content-type'] ?? '').startsWith('application/json') && seen.status === 200) {
            seen.events = ((JSON.parse(body.toString('utf8')) as { events?: unknown[] }).events ?? []).length;
          }
          res.writeHead(seen.status, headers);
          res.end(body);
        });
      },
    );
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
