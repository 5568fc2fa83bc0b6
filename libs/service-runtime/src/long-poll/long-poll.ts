/** One event of a long-poll answer: the same name, id and data the SSE form sends. */
export interface PolledEvent {
  event: string;
  id?: string;
  data: unknown;
}

/** The answer to a long poll: the events after the cursor (maybe none) and the cursor to ask with next. */
export interface LongPollAnswer {
  events: PolledEvent[];
  cursor: string;
}

/** Events one answer carries at most; the rest follow in the next poll, from its cursor. */
export const MAX_POLLED_EVENTS = 1000;

/**
 * Collects the events of one long poll. The answer goes out on the event loop's turn after the
 * first event, so a replay or a burst delivered at once travels in one answer; or when
 * {@link finish} is called (the wait is over, the stream ended, the process drains).
 */
export class LongPoll {
  readonly answer: Promise<LongPollAnswer>;
  private readonly events: PolledEvent[] = [];
  private done = false;
  private gone = false;
  private scheduled = false;
  /** An event was turned away for lack of room: the cursor must stay before it. */
  private full = false;
  private resolve: (answer: LongPollAnswer) => void = () => undefined;

  constructor(
    private cursor: string,
    private readonly maxEvents = MAX_POLLED_EVENTS,
  ) {
    this.answer = new Promise((resolve) => (this.resolve = resolve));
  }

  /** Whether the answer is settled (sent, or the client left). */
  get finished(): boolean {
    return this.done;
  }

  /** Whether the client left before its answer. */
  get abandoned(): boolean {
    return this.gone;
  }

  /** Adds an event; false once the answer is settled or full (what is left comes with the next poll). */
  add(event: PolledEvent): boolean {
    if (this.done) return false;
    if (this.events.length >= this.maxEvents) {
      this.full = true;
      return false;
    }
    this.events.push(event);
    if (event.id !== undefined) this.cursor = event.id;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.finish());
    }
    return true;
  }

  /** The client is past `cursor` without an event to show for it (one it may not see): ask from there. */
  advance(cursor: string): void {
    if (!this.done && !this.full) this.cursor = cursor;
  }

  /** Settles the answer with what there is, `last` (an event without id, e.g. `unauthorized`) after it. */
  finish(last?: PolledEvent): void {
    if (this.done) return;
    if (last !== undefined) this.events.push(last);
    this.done = true;
    this.resolve({ events: this.events, cursor: this.cursor });
  }

  /** The client left: settle, so that whatever the poll holds is let go; nothing is sent. */
  abandon(): void {
    this.gone = true;
    this.finish();
  }
}
