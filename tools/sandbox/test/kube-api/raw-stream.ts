import type http from 'node:http';
import https from 'node:https';
import { httpsOptions } from './harness';

/** A raw streaming GET: the status, headers and every byte as it arrives. */
export interface RawStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Everything received so far. */
  text(): string;
  /** Complete lines received so far. */
  lines(): string[];
  /** Resolves when the server ends the body cleanly. */
  ended: Promise<void>;
  close(): void;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<RawStream> {
  const options = httpsOptions();
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...options, headers: { ...options.headers, ...headers } }, (res) => {
      let received = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (received += chunk));
      const ended = new Promise<void>((done, fail) => {
        res.on('end', done);
        res.on('error', fail);
      });
      ended.catch(() => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => received,
        lines: () => received.split('\n').slice(0, -1),
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
