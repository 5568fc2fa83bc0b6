import { Injectable, Optional } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

export interface PageBufferLimits {
  /** At most this many bytes of buffers are kept for reuse; the rest is left to the collector. */
  keepBytes: number;
  /** A buffer larger than this (pages of 200 long records) is used once, not kept. */
  largestKept: number;
}

const DEFAULT_LIMITS: PageBufferLimits = { keepBytes: 8 * 1024 * 1024, largestKept: 1024 * 1024 };
/** Buffers are allocated in steps of this, so that a page a little longer than the last still fits. */
const STEP = 64 * 1024;

/**
 * The buffers the list's pages are written into and sent from: each is lent to one response and
 * taken back when that response closes, which Node emits after the last byte has been handed to
 * the kernel (the 'finish' of the socket write that ends the response) or, for a connection that
 * is gone, after its pending writes were cancelled: nothing reads the buffer any more. Whatever
 * handles a response's payload must not keep it past that (a buffer's bytes beyond its page are
 * other pages').
 *
 * Why not a string or a fresh Buffer per page: a page of 50 apps with two environments is about
 * 130 KB, and V8 puts a string over 128 KB in its large-object space, which only full GCs collect:
 * past that size the list ran at less than half of its speed, much of it in GC. A fresh Buffer is
 * external memory, which starts a full GC every few dozen MB allocated. A lent buffer costs
 * neither, and is written to the socket as it is (no UTF-8 decoding and re-encoding).
 *
 * A buffer whose response never closes (a pipelined request whose connection ends first) is
 * simply not taken back; the collector frees it.
 */
@Injectable()
export class PageBuffers {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  private readonly limits: PageBufferLimits;

  constructor(@Optional() limits?: PageBufferLimits) {
    this.limits = limits ?? DEFAULT_LIMITS;
  }

  /** A buffer of at least `bytes`, to be sent as (part of) `response`'s body. */
  lend(bytes: number, response: ServerResponse): Buffer {
    const size = Math.ceil(bytes / STEP) * STEP;
    // Answered already (timed out) or closed: its 'close' has passed, a pooled buffer would not return.
    if (response.writableEnded || response.destroyed) return Buffer.allocUnsafeSlow(size);
    let buffer = this.free.pop();
    if (buffer !== undefined) this.freeBytes -= buffer.length;
    // One too small is dropped: the pool drifts toward the sizes pages have.
    if (buffer === undefined || buffer.length < bytes) buffer = Buffer.allocUnsafeSlow(size);
    const lent = buffer;
    response.once('close', () => this.takeBack(lent));
    return lent;
  }

  /** How many bytes wait for reuse (for tests and metrics). */
  get idleBytes(): number {
    return this.freeBytes;
  }

  private takeBack(buffer: Buffer): void {
    if (buffer.length > this.limits.largestKept) return;
    if (this.freeBytes + buffer.length > this.limits.keepBytes) return;
    this.free.push(buffer);
    this.freeBytes += buffer.length;
  }
}
