import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openStream, PlatformApiError, PlatformClient, type StreamEvent } from '../src';

/** One request the local server saw. */
interface Seen {
  url: string;
  lastEventId: string | undefined;
  authorization: string | undefined;
}

/**
 * A small SSE server: each connection is answered by the next handler (the last one repeats),
 * so a test scripts drops, error statuses and resumes.
 */
async function scriptedServer(
  handlers: Array<(req: http.IncomingMessage, res: http.ServerResponse) => void>,
): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({
      url: req.url ?? '',
      lastEventId: req.headers['last-event-id'] as string | undefined,
      authorization: req.headers.authorization,
    });
    const handler = handlers[Math.min(seen.length - 1, handlers.length - 1)];
    handler?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function eventStream(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
}

/** Records the delays the stream asks for, and waits none of them. */
function recordDelays(): { delays: number[]; delay: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, delay: (ms) => Promise.resolve(void delays.push(ms)) };
}

async function collect<E extends StreamEvent>(stream: AsyncIterable<E>): Promise<E[]> {
  const events: E[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe(openStream.name, () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

  it('reconnects after a drop with Last-Event-ID after the retry the server set, and stops at the final event', async () => {
    const server = await scriptedServer([
      (_req, res) => {
        eventStream(res);
        res.write('retry: 250\n\n');
        res.write('event: task\nid: 1.1\ndata: {"n":1}\n\n');
        res.write('event: task\nid: 1.2\ndata: {"n":2}\n\n: heartbeat\n\n');
        // The connection drops mid-frame, as when a proxy or the service goes away.
        res.write('event: task\nid: 1.3\ndata: {"n":');
        setTimeout(() => res.socket?.destroy(), 20);
      },
      (_req, res) => {
        eventStream(res);
        res.write('event: task\nid: 1.3\ndata: {"n":3}\n\n');
        res.write('event: complete\nid: 1.4\ndata: {"n":4}\n\n');
        // Left open: the client must stop on `complete` by itself.
      },
    ]);
    servers.push(server);
    const { delays, delay } = recordDelays();
    const stream = openStream(`${server.url}/stream`, {
      delay,
      isFinal: (e) => e.event === 'complete',
    });

    const events = await collect(stream);

    expect(events.map((e) => [e.event, e.data, e.lastEventId])).toEqual([
      ['task', { n: 1 }, '1.1'],
      ['task', { n: 2 }, '1.2'],
      ['task', { n: 3 }, '1.3'],
      ['complete', { n: 4 }, '1.4'],
    ]);
    expect(server.seen.map((s) => s.lastEventId)).toEqual([undefined, '1.2']);
    expect(delays).toEqual([250]);
    expect(stream.lastEventId).toBe('1.4');
  });

  it('reopens a connection that went silent (no event, no heartbeat) for idleTimeoutMs', async () => {
    const server = await scriptedServer([
      (_req, res) => {
        eventStream(res);
        res.write('retry: 10\n\nevent: task\nid: 9\ndata: {}\n\n');
        // Then nothing, as over a half-open connection whose drop was never reported.
      },
      (_req, res) => {
        eventStream(res);
        res.end('event: complete\nid: 10\ndata: {}\n\n');
      },
    ]);
    servers.push(server);
    const { delay } = recordDelays();
    const events = await collect(
      openStream(server.url, { delay, idleTimeoutMs: 300, isFinal: (e) => e.event === 'complete' }),
    );
    expect(events.map((e) => e.event)).toEqual(['task', 'complete']);
    expect(server.seen.map((s) => s.lastEventId)).toEqual([undefined, '9']);
  });

  it('resumes from the lastEventId it was opened with, and asks for a fresh token on every connection', async () => {
    const server = await scriptedServer([
      (_req, res) => {
        eventStream(res);
        res.end('event: task\nid: 5\ndata: {}\n\n');
      },
      (_req, res) => {
        eventStream(res);
        res.end('event: complete\nid: 6\ndata: {}\n\n');
      },
    ]);
    servers.push(server);
    let issued = 0;
    const { delay } = recordDelays();
    await collect(
      openStream(server.url, {
        lastEventId: '4',
        delay,
        headers: () => ({ authorization: `Bearer token-${(issued += 1)}` }),
        isFinal: (e) => e.event === 'complete',
      }),
    );
    expect(server.seen).toEqual([
      { url: '/', lastEventId: '4', authorization: 'Bearer token-1' },
      { url: '/', lastEventId: '5', authorization: 'Bearer token-2' },
    ]);
  });

  it('waits out 503 with its Retry-After, backs off while unreachable, then connects', async () => {
    const server = await scriptedServer([
      (_req, res) => {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '3' });
        res.end(JSON.stringify({ error: { code: 'UPSTREAM_UNAVAILABLE', message: 'Argo is away' } }));
      },
      (_req, res) => res.socket?.destroy(),
      (_req, res) => res.socket?.destroy(),
      (_req, res) => {
        eventStream(res);
        res.end('event: complete\ndata: {}\n\n');
      },
    ]);
    servers.push(server);
    const { delays, delay } = recordDelays();
    const events = await collect(
      openStream(server.url, { delay, retryMs: 100, isFinal: (e) => e.event === 'complete' }),
    );
    expect(events.map((e) => e.event)).toEqual(['complete']);
    // 503: its Retry-After (3 s); then two failed connections: 200 ms, 400 ms (doubling).
    expect(delays).toEqual([3000, 200, 400]);
  });

  it('throws the envelope of a refusal (4xx) instead of retrying', async () => {
    const server = await scriptedServer([
      (_req, res) => {
        res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
        res.end(
          JSON.stringify({
            error: { code: 'TASK_NOT_FOUND', message: 'task "x" not found', details: { task: 'x' } },
          }),
        );
      },
    ]);
    servers.push(server);
    const failure = await collect(openStream(server.url)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PlatformApiError);
    expect(failure).toMatchObject({
      status: 404,
      code: 'TASK_NOT_FOUND',
      message: 'task "x" not found',
      details: { task: 'x' },
      requestId: 'req-1',
      retryable: false,
    });
    expect(server.seen).toHaveLength(1);
  });

  it('ends quietly when aborted while connected', async () => {
    const server = await scriptedServer([
      (_req, res) => {
        eventStream(res);
        res.write('event: task\ndata: {}\n\n');
      },
    ]);
    servers.push(server);
    const controller = new AbortController();
    const stream = openStream(server.url, { signal: controller.signal });
    const events: string[] = [];
    await stream.forEach((event) => {
      events.push(event.event);
      controller.abort();
    });
    expect(events).toEqual(['task']);
  });
});

describe(`${openStream.name} behind a gateway that holds streamed responses`, () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

  const json = (res: http.ServerResponse, body: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  it('switches to long polls when an SSE connection delivers not one byte, with the same events and cursor', async () => {
    const server = await scriptedServer([
      // Nothing at all, not even headers: as through Zuul 1, which holds the response until it ends.
      () => undefined,
      (_req, res) => json(res, { events: [{ event: 'snapshot', id: 'e.1', data: { n: 1 } }], cursor: 'e.1' }),
      (_req, res) => json(res, { events: [], cursor: 'e.1' }),
      (_req, res) =>
        json(res, {
          events: [
            { event: 'task', id: 'e.2', data: { n: 2 } },
            { event: 'complete', id: 'e.3.end', data: { n: 3 } },
          ],
          cursor: 'e.3.end',
        }),
    ]);
    servers.push(server);
    const opened: boolean[] = [];
    const stream = openStream(`${server.url}/stream?x=1`, {
      longPollAfterMs: 200,
      longPollWaitSeconds: 4,
      isFinal: (e) => e.event === 'complete',
      onOpen: ({ reconnected }) => opened.push(reconnected),
    });
    const events = await collect(stream);
    expect(events.map((e) => [e.event, e.data, e.lastEventId])).toEqual([
      ['snapshot', { n: 1 }, 'e.1'],
      ['task', { n: 2 }, 'e.2'],
      ['complete', { n: 3 }, 'e.3.end'],
    ]);
    expect(server.seen.map((s) => s.url)).toEqual([
      '/stream?x=1',
      '/stream?x=1&wait=4',
      '/stream?x=1&cursor=e.1&wait=4',
      '/stream?x=1&cursor=e.1&wait=4',
    ]);
    expect(stream.lastEventId).toBe('e.3.end');
    expect(opened).toEqual([false]);
  });

  it('stops on 204 when polling, throws a refusal, and backs off on upstream trouble', async () => {
    const server = await scriptedServer([
      (_req, res) => {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' });
        res.end(JSON.stringify({ error: { code: 'UPSTREAM_UNAVAILABLE', message: 'away' } }));
      },
      (_req, res) => json(res, { events: [{ event: 'task', id: 'e.5', data: {} }], cursor: 'e.5' }),
      (_req, res) => res.writeHead(204).end(),
    ]);
    servers.push(server);
    const { delays, delay } = recordDelays();
    const events = await collect(
      openStream(server.url, { transport: 'long-poll', delay, lastEventId: 'e.4' }),
    );
    expect(events.map((e) => e.lastEventId)).toEqual(['e.5']);
    expect(delays).toEqual([2000]);
    expect(server.seen.map((s) => s.url)).toEqual([
      '/?cursor=e.4&wait=8',
      '/?cursor=e.4&wait=8',
      '/?cursor=e.5&wait=8',
    ]);

    const refusing = await scriptedServer([
      (_req, res) => {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'INVALID_TOKEN', message: 'expired' } }));
      },
    ]);
    servers.push(refusing);
    const failure = await collect(openStream(refusing.url, { transport: 'long-poll' })).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
  });

  it('never switches with transport sse: a silent connection is reopened as SSE', async () => {
    const server = await scriptedServer([
      () => undefined,
      (_req, res) => {
        eventStream(res);
        res.end('event: complete\nid: 1\ndata: {}\n\n');
      },
    ]);
    servers.push(server);
    const { delay } = recordDelays();
    const events = await collect(
      openStream(server.url, {
        transport: 'sse',
        longPollAfterMs: 50,
        idleTimeoutMs: 300,
        delay,
        isFinal: (e) => e.event === 'complete',
      }),
    );
    expect(events.map((e) => e.event)).toEqual(['complete']);
    expect(server.seen.map((s) => s.url)).toEqual(['/', '/']);
  });
});

describe('PlatformClient.streamTopics', () => {
  it('unwraps topics, reconnects with only the open ones, and stops once every topic has ended', async () => {
    const frame = (event: string, id: string, topic: string, data: unknown): string =>
      `event: ${event}\nid: ${id}\ndata: ${JSON.stringify({ topic, data })}\n\n`;
    const server = await scriptedServer([
      (_req, res) => {
        eventStream(res);
        res.write(frame('snapshot', 'c1', 'status:shop', null));
        res.write(frame('complete', 'c2', 'task:shop-ci-1', { id: 'shop-ci-1' }));
        res.end();
      },
      (_req, res) => {
        eventStream(res);
        res.write(frame('upstream-error', 'c3', 'status:shop', { message: 'gone' }));
      },
    ]);
    try {
      const client = new PlatformClient({ baseUrl: `${server.url}/api/`, token: 'secret' });
      const events = await collect(client.streamTopics(['status:shop', 'task:shop-ci-1']));
      expect(events.map((e) => [e.topic, e.kind, e.name, e.event, e.lastEventId])).toEqual([
        ['status:shop', 'status', 'shop', 'snapshot', 'c1'],
        ['task:shop-ci-1', 'task', 'shop-ci-1', 'complete', 'c2'],
        ['status:shop', 'status', 'shop', 'upstream-error', 'c3'],
      ]);
      expect(server.seen.map((s) => [decodeURIComponent(s.url), s.lastEventId, s.authorization])).toEqual([
        ['/api/monitoring/v1/stream?topics=status:shop,task:shop-ci-1', undefined, 'Bearer secret'],
        ['/api/monitoring/v1/stream?topics=status:shop', 'c2', 'Bearer secret'],
      ]);
    } finally {
      await server.close();
    }
  });
});
