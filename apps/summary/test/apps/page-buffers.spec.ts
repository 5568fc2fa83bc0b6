import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
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
});
