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
