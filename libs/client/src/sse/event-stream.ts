import { PlatformApiError } from '../errors';
import { readSse, type SseMessage } from './sse-parser';

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

const DEFAULT_RETRY_MS = 1000;
const DEFAULT_MAX_RETRY_MS = 30_000;
const DEFAULT_IDLE_TIMEOUT_MS = 45_000;
/** Statuses worth trying again: rate limited, upstream trouble; the rest are answers. */
const RETRYABLE = new Set([429, 502, 503, 504]);

/**
 * Follows a Server-Sent Event stream over `fetch` (so it can send an Authorization header, which
 * EventSource cannot): parses `event:`/`id:`/`data:`/`retry:`, reconnects after a drop with
 * `Last-Event-ID` after the server's `retry:` delay, backs off while the service is unreachable or
 * answers 429/502/503/504, and stops at a final event (`isFinal`), on abort, or on HTTP 204.
 * Any other error status on (re)connecting is thrown as a {@link PlatformApiError}.
 */
export function openStream<E extends StreamEvent = StreamEvent>(
  url: string,
  options: OpenStreamOptions<E> = {},
): EventStream<E> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (options.signal?.aborted === true) controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  const state = { lastEventId: options.lastEventId ?? '' };
  let started = false;
  const iterate = (): AsyncGenerator<E> => {
    if (started) throw new Error('a stream can be iterated once; open another one');
    started = true;
    return follow(url, options, state, controller.signal);
  };
  const stream: EventStream<E> = {
    get lastEventId() {
      return state.lastEventId;
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

async function* follow<E extends StreamEvent>(
  url: string,
  options: OpenStreamOptions<E>,
  state: { lastEventId: string },
  signal: AbortSignal,
): AsyncGenerator<E> {
  const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const delay = options.delay ?? sleep;
  const maxRetryMs = options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS;
  let retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  let failures = 0;
  let opened = false;
  while (!signal.aborted) {
    let waitMs: number;
    const connection = watchdog(signal, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    try {
      const headers: Record<string, string> = {
        accept: 'text/event-stream',
        ...(await options.headers?.()),
      };
      if (state.lastEventId !== '') headers['last-event-id'] = state.lastEventId;
      const response = await fetchFn(options.nextUrl?.() ?? url, {
        headers,
        signal: connection.signal,
        cache: 'no-store',
      });
      if (response.status === 204) return;
      if (!response.ok) {
        const error = await PlatformApiError.fromResponse(response);
        if (!RETRYABLE.has(response.status)) throw error;
        failures += 1;
        waitMs = Math.max(backoff(retryMs, failures, maxRetryMs), (error.retryAfterSeconds ?? 0) * 1000);
      } else {
        const type = response.headers.get('content-type') ?? '';
        if (!type.startsWith('text/event-stream') || response.body === null) {
          await response.body?.cancel();
          throw new PlatformApiError(
            response.status,
            'NOT_AN_EVENT_STREAM',
            `expected text/event-stream from ${url}, got ${type || 'no content type'}`,
            undefined,
            undefined,
            response.headers.get('x-request-id') ?? undefined,
          );
        }
        failures = 0;
        options.onOpen?.({ reconnected: opened });
        opened = true;
        const messages = readSse(
          response.body,
          {
            retry: (ms) => (retryMs = ms),
            lastEventId: (id) => (state.lastEventId = id),
            received: connection.alive,
          },
          state.lastEventId,
        );
        for await (const message of messages) {
          const event = toEvent(message, options.map);
          if (event === undefined) continue;
          yield event;
          if (options.isFinal?.(event) === true) return;
        }
        // The server ended the response (a restart, a proxy's timeout, an overflow): resume.
        waitMs = retryMs;
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof PlatformApiError) throw error;
      // The connection failed or dropped mid-stream: try again, backing off while it keeps failing.
      failures += 1;
      waitMs = backoff(retryMs, failures, maxRetryMs);
    } finally {
      connection.release();
    }
    try {
      await delay(waitMs, signal);
    } catch {
      return;
    }
  }
}

/**
 * One connection's abort signal: aborted with the stream, or when nothing arrived for `idleMs`
 * (`alive()` rearms it); `release()` stops watching.
 */
function watchdog(
  stream: AbortSignal,
  idleMs: number,
): { signal: AbortSignal; alive: () => void; release: () => void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  stream.addEventListener('abort', abort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const alive = (): void => {
    clearTimeout(timer);
    if (idleMs > 0) timer = setTimeout(abort, idleMs);
  };
  alive();
  return {
    signal: controller.signal,
    alive,
    release: () => {
      clearTimeout(timer);
      stream.removeEventListener('abort', abort);
    },
  };
}

function toEvent<E extends StreamEvent>(
  message: SseMessage,
  map: ((event: StreamEvent) => E | undefined) | undefined,
): E | undefined {
  let data: unknown = message.data;
  try {
    data = JSON.parse(message.data);
  } catch {
    // Not JSON (the platform always sends JSON): hand the text over as it is.
  }
  const event: StreamEvent = { event: message.event, data, lastEventId: message.lastEventId };
  return map === undefined ? (event as E) : map(event);
}

/** The delay after the `failures`-th consecutive failure: doubling from `baseMs`, capped. */
function backoff(baseMs: number, failures: number, maxMs: number): number {
  return Math.min(maxMs, Math.max(baseMs, 1) * 2 ** Math.max(0, failures - 1));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
