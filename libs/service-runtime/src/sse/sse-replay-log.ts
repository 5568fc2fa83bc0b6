import { randomBytes } from 'node:crypto';
import { formatReplayPosition, parseReplayPosition, type ReplayPosition } from './replay-position';

/** One logged event: its resumable id (`<epoch>.<seq>`, `.end` on the last), name and data. */
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
 * oldest entries fall off, and a cursor older than what is kept cannot resume either. A stream
 * that ends logs its last event with {@link end}: that id says `.end`, so whoever holds it knows,
 * on any replica and however late, that nothing follows (and can be told so with 204).
 */
export class SseReplayLog<T = unknown> {
  readonly epoch = randomBytes(6).toString('base64url');
  private readonly entries: Array<ReplayEntry<T>> = [];
  private seq = 0;
  private ended = false;

  constructor(private readonly capacity: number) {}

  /** The id of the newest event (`<epoch>.0` before the first). */
  get lastId(): string {
    return this.idAt(this.seq);
  }

  /** Whether the last event has been logged. */
  get isEnded(): boolean {
    return this.ended;
  }

  /** The id of position `seq` of this log (the last one says `.end` once the log has ended). */
  idAt(seq: number): string {
    return formatReplayPosition({ epoch: this.epoch, seq, end: this.ended && seq === this.seq });
  }

  append(event: string, data: T): ReplayEntry<T> {
    if (this.ended) throw new Error(`log ${this.epoch} has ended; nothing can follow its last event`);
    this.seq += 1;
    const entry = { id: this.idAt(this.seq), seq: this.seq, event, data };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    return entry;
  }

  /** Logs the stream's last event: its id carries `.end`, and nothing can be appended after it. */
  end(event: string, data: T): ReplayEntry<T> {
    const entry = this.append(event, data);
    this.ended = true;
    entry.id = this.idAt(entry.seq);
    return entry;
  }

  /**
   * The events after `cursor`, or undefined when it cannot be resumed from here (another epoch, a
   * position already dropped, one this log never reached, or not a position at all).
   */
  after(cursor: string | ReplayPosition): Array<ReplayEntry<T>> | undefined {
    const position = typeof cursor === 'string' ? parseReplayPosition(cursor) : cursor;
    if (position === undefined || position.epoch !== this.epoch) return undefined;
    const { seq } = position;
    if (seq < 0 || seq > this.seq) return undefined;
    if (seq === this.seq) return [];
    const first = this.entries[0];
    if (first === undefined || first.seq > seq + 1) return undefined;
    return this.entries.slice(seq + 1 - first.seq);
  }
}
