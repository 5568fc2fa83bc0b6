import { randomBytes } from 'node:crypto';

/** One logged event: its resumable id (`<epoch>.<seq>`), name and data. */
export interface ReplayEntry<T = unknown> {
  id: string;
  seq: number;
  event: string;
  data: T;
}

/**
 * The recent events of one stream source, numbered so a client can resume after the last one it
 * saw. Ids are `<epoch>.<seq>`: the epoch is random per log, so an id from another process, an
 * earlier log of the same source or a restarted service is recognised as unresumable (the client
 * then needs a fresh snapshot) instead of being misread as a position in this one. Bounded: the
 * oldest entries fall off, and a cursor older than what is kept cannot resume either.
 */
export class SseReplayLog<T = unknown> {
  readonly epoch = randomBytes(6).toString('base64url');
  private readonly entries: Array<ReplayEntry<T>> = [];
  private seq = 0;

  constructor(private readonly capacity: number) {}

  /** The id of the newest event (`<epoch>.0` before the first). */
  get lastId(): string {
    return `${this.epoch}.${this.seq}`;
  }

  append(event: string, data: T): ReplayEntry<T> {
    this.seq += 1;
    const entry = { id: `${this.epoch}.${this.seq}`, seq: this.seq, event, data };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    return entry;
  }

  /**
   * The events after `id`, or undefined when `id` cannot be resumed from here (another epoch, a
   * position already dropped, or one this log never reached).
   */
  after(id: string): Array<ReplayEntry<T>> | undefined {
    const dot = id.lastIndexOf('.');
    if (dot < 0 || id.slice(0, dot) !== this.epoch) return undefined;
    const seq = Number(id.slice(dot + 1));
    if (!Number.isInteger(seq) || seq < 0 || seq > this.seq) return undefined;
    if (seq === this.seq) return [];
    const first = this.entries[0];
    if (first === undefined || first.seq > seq + 1) return undefined;
    return this.entries.slice(seq + 1 - first.seq);
  }
}
