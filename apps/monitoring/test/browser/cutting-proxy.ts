import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy passed on: what the browser sent and what the service answered. */
export interface ProxiedRequest {
  path: string;
  lastEventId: string | undefined;
  status: number;
}

export interface CuttingProxy {
  /** The proxy's origin: the page and the streams are served from it (same origin). */
  origin: string;
  requests: ProxiedRequest[];
  /** Connections cut so far. */
  cuts(): number;
  close(): Promise<void>;
}

/**
 * A proxy in front of the service that serves `page` at `/page.html` (so the page and its stream
 * share an origin) and cuts an event stream's connection after every `cutEvery` events, halfway
 * through the next one (the browser must discard that half and get the event again), `maxCuts`
 * times in all. What a flaky network or a proxy's idle timeout does to a long stream.
 */
export async function startCuttingProxy(
  target: string,
  page: string,
  options: { cutEvery: number; maxCuts: number },
): Promise<CuttingProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  let cuts = 0;
  const server = http.createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
      return;
    }
    if (!(req.url ?? '').startsWith('/monitoring/')) {
      // The browser's own asks (favicon.ico) are not the stream's.
      res.writeHead(404).end();
      return;
    }
    const seen: ProxiedRequest = {
      path: req.url ?? '',
      lastEventId: req.headers['last-event-id'] as string | undefined,
      status: 0,
    };
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
        seen.status = answer.statusCode ?? 0;
        res.writeHead(seen.status, answer.headers);
        const isStream = (answer.headers['content-type'] ?? '').startsWith('text/event-stream');
        if (!isStream || cuts >= options.maxCuts) {
          answer.pipe(res);
          return;
        }
        let buffered = '';
        let events = 0;
        let cut = false;
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => {
          if (cut) return;
          buffered += chunk;
          let end = buffered.indexOf('\n\n');
          while (end !== -1) {
            const frame = buffered.slice(0, end + 2);
            buffered = buffered.slice(end + 2);
            const isEvent = frame.split('\n').some((line) => line.startsWith('data:'));
            if (isEvent && events === options.cutEvery && cuts < options.maxCuts) {
              cuts += 1;
              cut = true;
              answer.destroy();
              // Cut once what went before has left: the browser has every whole event before it.
              res.write(frame.slice(0, Math.floor(frame.length / 2)), () => res.socket?.destroy());
              return;
            }
            if (isEvent) events += 1;
            res.write(frame);
            end = buffered.indexOf('\n\n');
          }
        });
        answer.on('end', () => res.end());
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
    cuts: () => cuts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
