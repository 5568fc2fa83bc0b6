import { EventEmitter } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PageBuffers } from '../../src/apps/page-buffers';

/** What PageBuffers uses of a response: its 'close' event. */
function response(): ServerResponse & { close(): void } {
  const emitter = new EventEmitter() as EventEmitter & { close(): void };
  emitter.close = () => emitter.emit('close');
  return emitter as unknown as ServerResponse & { close(): void };
}

describe('PageBuffers', () => {
  it('lends no buffer to two open responses at once', () => {
    const buffers = new PageBuffers();
    const first = response();
    const a = buffers.lend(100_000, first);
    const b = buffers.lend(100_000, response());
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(100_000);
  });

  it('takes a buffer back when its response closes and lends it again', () => {
    const buffers = new PageBuffers();
    const first = response();
    const a = buffers.lend(100_000, first);
    expect(buffers.idleBytes).toBe(0);
    first.close();
    expect(buffers.idleBytes).toBe(a.length);
    expect(buffers.lend(90_000, response())).toBe(a);
    expect(buffers.idleBytes).toBe(0);
  });

  it('drops a kept buffer too small for the page and lends a larger one', () => {
    const buffers = new PageBuffers();
    const first = response();
    const small = buffers.lend(1_000, first);
    first.close();
    const large = buffers.lend(small.length + 1, response());
    expect(large).not.toBe(small);
    expect(large.length).toBeGreaterThan(small.length);
    expect(buffers.idleBytes).toBe(0);
  });

  it('keeps at most 8 MiB for reuse, and no buffer over 1 MiB', () => {
    const buffers = new PageBuffers();
    const open = Array.from({ length: 40 }, () => response());
    for (const r of open) buffers.lend(256 * 1024, r);
    for (const r of open) r.close();
    expect(buffers.idleBytes).toBe(8 * 1024 * 1024);
    const huge = response();
    buffers.lend(2 * 1024 * 1024, huge);
    huge.close();
    // The kept buffer it took was too small and is dropped; the huge one is not kept either.
    expect(buffers.idleBytes).toBe(8 * 1024 * 1024 - 256 * 1024);
  });

  it('takes a buffer back only after its response left, also when its client stopped reading', async () => {
    // Bodies far larger than the socket buffers: a response ended by the server stays in Node's
    // write queue, reading the buffer, until its client reads. A buffer taken back before its
    // response closes would be lent to the next request and written over meanwhile.
    const SIZE = 24 * 1024 * 1024;
    const buffers = new PageBuffers({ keepBytes: 256 * 1024 * 1024, largestKept: 64 * 1024 * 1024 });
    const lent: Buffer[] = [];
    const server = http.createServer((req, res) => {
      const buffer = buffers.lend(SIZE, res);
      lent.push(buffer);
      const body = buffer.subarray(0, SIZE).fill(req.url === '/a' ? 'a' : 'b');
      res.writeHead(200, { 'content-length': SIZE });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const a = await new Promise<IncomingMessage>((resolve) =>
        http.get(`${base}/a`, { agent: false }, resolve),
      );
      a.pause();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const b = Buffer.from(await (await fetch(`${base}/b`)).arrayBuffer());
      expect(b.length).toBe(SIZE);
      expect(b.indexOf('a')).toBe(-1);
      const chunks: Buffer[] = [];
      a.on('data', (chunk: Buffer) => chunks.push(chunk));
      a.resume();
      await new Promise((resolve) => a.on('end', resolve));
      const body = Buffer.concat(chunks);
      expect(body.length).toBe(SIZE);
      expect(body.indexOf('b')).toBe(-1);
      expect(lent[1]).not.toBe(lent[0]);
      // Both responses closed: their buffers are kept and lent again.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(buffers.idleBytes).toBe(2 * SIZE);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
