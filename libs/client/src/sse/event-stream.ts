import { follow, type Progress } from './follow';

/** One event of a stream, its data parsed from JSON. */
export interface StreamEvent<Name extends string = string, Data = unknown> {
  event: Name;
  data: Data;
  /** The stream's cursor after this event: pass it as `lastEventId` to resume after it. */
  lastEventId: string;
}

/** Turns an event map (`{ task: Task; log: TaskLogLine }`) into the union of its typed events. */
export type EventOf<Map> = { [K in keyof Map & string]: StreamEvent<K, Map[K]> }[keyof Map & string];

export interface OpenStreamOptions<E extends StreamEvent> {
  /** Resume after this event id (sent as `Last-Event-ID`). */
  lastEventId?: string;
  /** Aborting closes the connection and ends the iteration quietly. */
  signal?: AbortSignal;
  /** Extra request headers, asked for on every (re)connection: a fresh token each time. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof fetch;
  /** Whether `event` is the stream's last: the helper then stops instead of reconnecting. */
  isFinal?: (event: E) => boolean;
  /** Turns a parsed message into the stream's event; undefined skips it. */
  map?: (event: StreamEvent) => E | undefined;
  /** The URL of each (re)connection, when it changes as the stream goes (defaults to `url`). */
  nextUrl?: () => string;
  /** Called on every successful (re)connection; `reconnected` is false for the first one. */
  onOpen?: (info: { reconnected: boolean }) => void;
  /** The delay before reconnecting when the server sent no `retry:` (default 1000 ms). */
  retryMs?: number;
  /** The longest wait between failed attempts (default 30 s); failures back off up to it. */
  maxRetryMs?: number;
  /**
   * A connection that receives nothing (not even the services' 15 s heartbeat) for this long is
   * taken for dead — a half-open TCP connection never reports its drop — and reopened. Default 45 s;
   * 0 turns it off.
   */
  idleTimeoutMs?: number;
  /** How waiting is done (tests observe the delays); must reject or resolve early on abort. */
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * How the stream is read. `auto` (the default): Server-Sent Events, switching to the long-poll
   * form by itself when a connection delivers not one byte within `longPollAfterMs` (a gateway
   * such as Zuul 1 holds a streamed response until it ends). `sse` never switches; `long-poll`
   * starts there (a caller that knows its gateway).
   */
  transport?: 'auto' | 'sse' | 'long-poll';
  /** `auto`: how long an SSE connection may stay without a single byte before the switch (default 5 s). */
  longPollAfterMs?: number;
  /**
   * Long-poll form: how long each poll may wait for an event, in seconds (0 to 30, default 8: under
   * the 10 s socket timeout of a Zuul route left at its defaults).
   */
  longPollWaitSeconds?: number;
}

/** An open stream: iterate it (`for await`), or hand each event to a function with `forEach`. */
export interface EventStream<E extends StreamEvent> extends AsyncIterable<E> {
  /** The cursor to resume from, updated as events arrive. */
  readonly lastEventId: string;
  /** Calls `onEvent` for each event; resolves when the stream stops, rejects with its error. */
  forEach(onEvent: (event: E) => void | Promise<void>): Promise<void>;
  /** Closes the connection; the iteration ends. */
  close(): void;
}

/**
 * Follows a stream of the platform over `fetch` (so it can send an Authorization header, which
 * EventSource cannot): Server-Sent Events parsed as EventSource does (`event:`/`id:`/`data:`/
 * `retry:`), reconnecting after a drop with `Last-Event-ID` after the server's `retry:` delay,
 * backing off while the service is unreachable or answers 429/502/503/504, stopping at a final
 * event (`isFinal`), on abort, or on HTTP 204. When a connection stays without a single byte (a
 * gateway that holds streamed responses), it goes on with the stream's long-poll form: the same
 * events and cursors, so callers do not notice. Any other error status is thrown as a
 * {@link PlatformApiError}.
 */
export function openStream<E extends StreamEvent = StreamEvent>(
  url: string,
  options: OpenStreamOptions<E> = {},
): EventStream<E> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (options.signal?.aborted === true) controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  const progress: Progress = {
    lastEventId: options.lastEventId ?? '',
    retryMs: options.retryMs ?? 1000,
    failures: 0,
    opened: false,
    connected: false,
    transport: options.transport === 'long-poll' ? 'long-poll' : 'sse',
  };
  let started = false;
  const iterate = (): AsyncGenerator<E> => {
    if (started) throw new Error('a stream can be iterated once; open another one');
    started = true;
    return follow(url, options, progress, controller.signal);
  };
  const stream: EventStream<E> = {
    get lastEventId() {
      return progress.lastEventId;
    },
    [Symbol.asyncIterator]: iterate,
    async forEach(onEvent) {
      for await (const event of stream) await onEvent(event);
    },
    close() {
      controller.abort();
      options.signal?.removeEventListener('abort', abort);
    },
  };
  return stream;
}
