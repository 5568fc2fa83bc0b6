import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

/** Buffers are allocated in steps of this, so that a page a little longer than the last still fits. */
const STEP = 64 * 1024;
/** At most this much is kept for reuse; the rest is left to the garbage collector. */
const KEEP_BYTES = 8 * 1024 * 1024;
/** A buffer larger than this (pages of 200 long records) is used once, not kept. */
const LARGEST_KEPT = 1024 * 1024;

/**
 * The buffers the list's pages are written into and sent from: each is lent to one response and
 * taken back when that response closes, which Node emits after the last byte has been handed to
 * the kernel (or the connection is gone), so nothing reads it any more.
 *
 * Why not a string or a fresh Buffer per page: a page of 50 apps with two environments is about
 * 130 KB, and V8 puts a string over 128 KB in its large-object space, which only full GCs collect:
 * past that size the list ran at a third of its speed, most of it in GC. A fresh Buffer is
 * external memory, which starts a full GC every few dozen MB allocated. A lent buffer costs
 * neither, and is written to the socket as it is (no UTF-8 decoding and re-encoding).
 *
 * A buffer whose response never closes (the request failed before it was sent) is simply not
 * taken back; the collector frees it.
 */
@Injectable()
export class PageBuffers {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;

  /** A buffer of at least `bytes`, to be sent as (part of) `response`'s body. */
  lend(bytes: number, response: ServerResponse): Buffer {
    let buffer = this.free.pop();
    if (buffer !== undefined) this.freeBytes -= buffer.length;
    // One too small is dropped: the pool drifts toward the sizes pages have.
    if (buffer === undefined || buffer.length < bytes)
      buffer = Buffer.allocUnsafeSlow(Math.ceil(bytes / STEP) * STEP);
    const lent = buffer;
    response.once('close', () => this.takeBack(lent));
    return lent;
  }

  /** How many bytes wait for reuse (for tests and metrics). */
  get idleBytes(): number {
    return this.freeBytes;
  }

  private takeBack(buffer: Buffer): void {
    if (buffer.length > LARGEST_KEPT || this.freeBytes + buffer.length > KEEP_BYTES) return;
    this.free.push(buffer);
    this.freeBytes += buffer.length;
  }
}
