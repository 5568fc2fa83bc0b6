import http from 'node:http';

/** What one SSE client saw, event names in order, until its connection ended. */
export interface WatchedStream {
  status: number;
  events: string[];
  /** Whether the response ended (cleanly or not) and how. */
  ended: boolean;
  error: string | undefined;
  /** The connection's end after the last event (`end`: the server finished the response). */
  endedBy: 'end' | 'close' | 'error' | undefined;
}

/**
 * Opens one SSE stream per URL, each on its own connection as browsers' EventSources are, and
 * records the event names each receives. Resolves once every stream answered and sent its first
 * event (a `snapshot`), so that all are open for sure.
 */
export async function openStreams(
  urls: Array<{ url: string; token: string }>,
  firstEventTimeoutMs: number,
): Promise<WatchedStream[]> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  return Promise.all(urls.map(({ url, token }) => openStream(agent, url, token, firstEventTimeoutMs)));
}

function openStream(
  agent: http.Agent,
  url: string,
  token: string,
  firstEventTimeoutMs: number,
): Promise<WatchedStream> {
  const watched: WatchedStream = {
    status: 0,
    events: [],
    ended: false,
    error: undefined,
    endedBy: undefined,
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${url}: no first event within ${firstEventTimeoutMs} ms`)),
      firstEventTimeoutMs,
    );
    const req = http.get(
      url,
      { agent, headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } },
      (res) => {
        watched.status = res.statusCode ?? 0;
        if (watched.status !== 200) {
          clearTimeout(timer);
          res.resume();
          reject(new Error(`${url}: answered ${watched.status}`));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = /^event: ?(.*)$/m.exec(block)?.[1];
            if (name === undefined) continue;
            watched.events.push(name);
            if (watched.events.length === 1) {
              clearTimeout(timer);
              resolve(watched);
            }
          }
        });
        res.on('end', () => (watched.endedBy ??= 'end'));
        res.on('close', () => {
          watched.ended = true;
          watched.endedBy ??= 'close';
        });
        res.on('error', (error) => {
          watched.error = error.message;
          watched.endedBy ??= 'error';
        });
      },
    );
    req.on('error', (error) => {
      watched.error = error.message;
      watched.ended = true;
      watched.endedBy ??= 'error';
      clearTimeout(timer);
      reject(error);
    });
  });
}
