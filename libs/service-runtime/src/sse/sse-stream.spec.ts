import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SseStream } from './sse-stream';

describe(SseStream.name, () => {
  it('closes a client that stops reading with an overflow event instead of buffering without bound', async () => {
    let stream: SseStream | undefined;
    let connection: net.Socket | undefined;
    const server = http.createServer((req, res) => {
      connection = req.socket;
      stream = new SseStream(res, { maxBufferedBytes: 64 * 1024 });
      stream.open();
    });
    // Longer than the test: the connection must be dropped by the stream, not by keep-alive expiry.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // A raw socket that sends a request and never reads the response.
    const socket = net.connect(port, '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    socket.pause();
    await waitUntil(() => stream !== undefined);

    const payload = 'x'.repeat(16 * 1024);
    let sent = 0;
    while (stream!.send({ event: 'blob', data: payload }) && sent < 10_000) sent += 1;

    expect(stream!.closed).toBe(true);
    expect(sent).toBeLessThan(10_000);
    // What was buffered for it is not kept forever: the connection is dropped after a moment.
    expect(connection?.destroyed).toBe(false);
    await waitUntil(() => connection?.destroyed === true);
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A response that records each write, enough of a ServerResponse for SseStream. */
function fakeResponse(): { res: http.ServerResponse; writes: string[]; ended: () => boolean } {
  const writes: string[] = [];
  let ended = false;
  const res = {
    writableLength: 0,
    socket: null,
    on: () => res,
    writeHead: () => res,
    flushHeaders: () => undefined,
    write: (chunk: string) => writes.push(chunk) > 0,
    end: () => {
      ended = true;
    },
  };
  return { res: res as unknown as http.ServerResponse, writes, ended: () => ended };
}

describe(`${SseStream.name} batching`, () => {
  const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('writes the frames of one turn of the event loop in one write, in order', async () => {
    const { res, writes } = fakeResponse();
    const stream = new SseStream(res, {});
    stream.open();
    writes.length = 0;
    for (let i = 0; i < 5; i += 1) stream.sendFrame(`data: ${i}\n\n`);
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n']);
    stream.sendFrame('data: 5\n\n');
    await nextTurn();
    expect(writes).toHaveLength(2);
  });

  it('writes what waits before the last event when it closes', () => {
    const { res, writes, ended } = fakeResponse();
    const stream = new SseStream(res, {});
    stream.sendFrame('data: 1\n\n');
    stream.close({ event: 'bye', data: {} });
    expect(writes).toEqual(['data: 1\n\n', 'event: bye\ndata: {}\n\n']);
    expect(ended()).toBe(true);
  });
});

describe(`${SseStream.name} overflow with batching`, () => {
  it('does not count what waits for the end of the turn as the client being slow', () => {
    const { res } = fakeResponse();
    const stream = new SseStream(res, { maxBufferedBytes: 8 * 1024 });
    // 12 KiB in one turn for a client whose socket took everything so far: no overflow.
    for (let i = 0; i < 12; i += 1) expect(stream.sendFrame(`data: ${'x'.repeat(1016)}\n\n`)).toBe(true);
    expect(stream.closed).toBe(false);
  });
});
