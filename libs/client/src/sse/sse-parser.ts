/** One dispatched Server-Sent Event, as the WHATWG event-stream format defines it. */
export interface SseMessage {
  /** The `event:` field; `message` when the frame named none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last event id as of this event (EventSource's `lastEventId`); '' when none was set. */
  lastEventId: string;
}

/** What the parser reports: events, `retry:` (the reconnection delay), and the resume cursor. */
export interface SseParserSink {
  event(message: SseMessage): void;
  retry(ms: number): void;
  /** The last event id changed (also by a frame without data, which dispatches no event). */
  lastEventId(id: string): void;
}

/**
 * An incremental parser of `text/event-stream`: feed it text in chunks of any size (a chunk may end
 * inside a line, or between the CR and LF of a CRLF) and it reports each event once its blank line
 * arrives. Comment lines (`:` heartbeats) are skipped; a frame without data dispatches nothing.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  /** The last event id buffer: it persists across events until another `id:` field. */
  private id: string;
  private dispatchedId: string;
  /** The previous chunk ended with CR: an LF starting the next one belongs to it. */
  private afterCr = false;
  private started = false;

  /** `lastEventId`: the cursor a reconnection resumes from, so events without `id:` keep it. */
  constructor(
    private readonly sink: SseParserSink,
    lastEventId = '',
  ) {
    this.id = lastEventId;
    this.dispatchedId = lastEventId;
  }

  push(chunk: string): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.afterCr && text.startsWith('\n')) text = text.slice(1);
    this.afterCr = false;
    this.buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      this.line(this.buffer.slice(start, end));
      if (end === cr) {
        if (end + 1 === this.buffer.length) {
          this.afterCr = true;
          start = end + 1;
          break;
        }
        start = this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        return;
      case 'data':
        this.data.push(value);
        return;
      case 'id':
        // An id with NUL is ignored, as browsers do.
        if (!value.includes('\0')) this.id = value;
        return;
      case 'retry':
        if (/^\d+$/.test(value)) this.sink.retry(Number(value));
        return;
      default:
        return;
    }
  }

  private dispatch(): void {
    const { data, event, id } = this;
    this.data = [];
    this.event = '';
    // The cursor moves at every blank line, even one that dispatches nothing.
    if (id !== this.dispatchedId) {
      this.dispatchedId = id;
      this.sink.lastEventId(id);
    }
    if (data.length === 0) return;
    this.sink.event({ event: event === '' ? 'message' : event, data: data.join('\n'), lastEventId: id });
  }
}

/**
 * The events of a response body, decoded as UTF-8 however its bytes are split. Ends when the body
 * does; `sink` hears `retry:` fields and cursor moves.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  sink: Omit<SseParserSink, 'event'> & {
    /** Bytes arrived (a heartbeat too): the connection is alive. */
    received?: () => void;
  },
  lastEventId = '',
): AsyncGenerator<SseMessage> {
  const pending: SseMessage[] = [];
  const parser = new SseParser(
    { retry: sink.retry, lastEventId: sink.lastEventId, event: (m) => pending.push(m) },
    lastEventId,
  );
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sink.received?.();
      parser.push(decoder.decode(value, { stream: true }));
      yield* pending.splice(0);
    }
    parser.push(decoder.decode());
    // A last frame without its blank line is incomplete and, as in browsers, not dispatched.
    yield* pending.splice(0);
  } finally {
    // Leaving early (a final event, an abort) must close the connection, not leave it open.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
