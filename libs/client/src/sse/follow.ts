import { PlatformApiError } from '../errors';
import type { OpenStreamOptions, StreamEvent } from './event-stream';
import { longPoll } from './long-poll';
import { readSse, type SseMessage } from './sse-parser';
import { watchdog } from './watchdog';

/** Where a stream is, across its connections and polls. */
export interface Progress {
  /** The cursor: the last event id (SSE) or the last answer's cursor (long poll). */
  lastEventId: string;
  retryMs: number;
  /** Consecutive failed attempts. */
  failures: number;
  /** Whether it was ever open (`onOpen`'s `reconnected`). */
  opened: boolean;
  /** Whether the current connection (or run of polls) has been reported open. */
  connected: boolean;
  transport: 'sse' | 'long-poll';
}

const DEFAULT_MAX_RETRY_MS = 30_000;
const DEFAULT_IDLE_TIMEOUT_MS = 45_000;
const DEFAULT_LONG_POLL_AFTER_MS = 5000;
const DEFAULT_LONG_POLL_WAIT_SECONDS = 8;

/** What one connection or poll needs of the stream's options (not how events are mapped). */
type ConnectionOptions = Omit<OpenStreamOptions<StreamEvent>, 'isFinal' | 'map'>;

/** What a stream does after one connection or one poll. */
type Next = { then: 'stop' } | { then: 'wait'; ms: number } | { then: 'go-on' };

/** An SSE connection through which not one byte came: a gateway holds the response until it ends. */
class SilentConnection extends Error {}

/** The events of a stream, connection after connection (or poll after poll), until it stops. */
export async function* follow<E extends StreamEvent>(
  url: string,
  options: OpenStreamOptions<E>,
  progress: Progress,
  signal: AbortSignal,
): AsyncGenerator<E> {
  const delay = options.delay ?? sleep;
  while (!signal.aborted) {
    let next: Next;
    try {
      const source =
        progress.transport === 'sse'
          ? sseConnection(url, options, progress, signal)
          : longPollOnce(url, options, progress, signal);
      next = yield* deliver(source, options);
    } catch (error) {
      if (signal.aborted) return;
      progress.connected = false;
      if (error instanceof SilentConnection) {
        progress.transport = 'long-poll';
        continue;
      }
      if (error instanceof PlatformApiError && !error.retryable) throw error;
      progress.failures += 1;
      const backoffMs = backoff(
        progress.retryMs,
        progress.failures,
        options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS,
      );
      const retryAfterMs = error instanceof PlatformApiError ? (error.retryAfterSeconds ?? 0) * 1000 : 0;
      next = { then: 'wait', ms: Math.max(backoffMs, retryAfterMs) };
    }
    if (next.then === 'stop') return;
    if (next.then === 'go-on') continue;
    try {
      await delay(next.ms, signal);
    } catch {
      return;
    }
  }
}

/** Hands a connection's events on, mapped, until it ends or a final event stops the stream. */
async function* deliver<E extends StreamEvent>(
  source: AsyncGenerator<StreamEvent, Next>,
  options: OpenStreamOptions<E>,
): AsyncGenerator<E, Next> {
  try {
    for (;;) {
      const item = await source.next();
      if (item.done === true) return item.value;
      const event = options.map === undefined ? (item.value as E) : options.map(item.value);
      if (event === undefined) continue;
      yield event;
      if (options.isFinal?.(event) === true) return { then: 'stop' };
    }
  } finally {
    // Leaving early (a final event, an abort) closes the connection.
    await source.return({ then: 'stop' });
  }
}

/** One SSE connection's events; throws SilentConnection when not one byte came (`auto` only). */
async function* sseConnection(
  url: string,
  options: ConnectionOptions,
  progress: Progress,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent, Next> {
  const auto = (options.transport ?? 'auto') === 'auto';
  const connection = watchdog(
    signal,
    options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    auto ? (options.longPollAfterMs ?? DEFAULT_LONG_POLL_AFTER_MS) : undefined,
  );
  try {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...(await options.headers?.()) };
    if (progress.lastEventId !== '') headers['last-event-id'] = progress.lastEventId;
    const response = await fetchOf(options)(options.nextUrl?.() ?? url, {
      headers,
      signal: connection.signal,
      cache: 'no-store',
    });
    if (response.status === 204) return { then: 'stop' };
    if (!response.ok) throw await PlatformApiError.fromResponse(response);
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
    reportOpen(options, progress);
    const messages = readSse(
      response.body,
      {
        retry: (ms) => (progress.retryMs = ms),
        lastEventId: (id) => (progress.lastEventId = id),
        received: () => connection.alive(),
      },
      progress.lastEventId,
    );
    for await (const message of messages) yield toEvent(message);
    // The server ended the response (a restart, a proxy's timeout, an overflow): resume.
    return { then: 'wait', ms: progress.retryMs };
  } catch (error) {
    if (connection.silentFromStart && !signal.aborted) throw new SilentConnection();
    throw error;
  } finally {
    progress.connected = false;
    connection.release();
  }
}

/** One long poll's events; the next poll goes out at once, unless the stream has ended (204). */
async function* longPollOnce(
  url: string,
  options: ConnectionOptions,
  progress: Progress,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent, Next> {
  const waitSeconds = options.longPollWaitSeconds ?? DEFAULT_LONG_POLL_WAIT_SECONDS;
  // An answer is due within `wait`; past that and the idle timeout, the request is taken for lost.
  const idleMs = waitSeconds * 1000 + (options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  const connection = watchdog(signal, idleMs);
  try {
    const result = await longPoll(fetchOf(options), options.nextUrl?.() ?? url, {
      cursor: progress.lastEventId,
      waitSeconds,
      headers: (await options.headers?.()) ?? {},
      signal: connection.signal,
    });
    if (result.ended) return { then: 'stop' };
    reportOpen(options, progress);
    for (const event of result.events) {
      progress.lastEventId = event.lastEventId;
      yield event;
    }
    progress.lastEventId = result.cursor;
    return { then: 'go-on' };
  } finally {
    connection.release();
  }
}

/** A connection (or the first poll of a run) succeeded: tell `onOpen` once. */
function reportOpen(options: ConnectionOptions, progress: Progress): void {
  progress.failures = 0;
  if (progress.connected) return;
  progress.connected = true;
  options.onOpen?.({ reconnected: progress.opened });
  progress.opened = true;
}

function fetchOf(options: { fetch?: typeof fetch }): typeof fetch {
  return options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
}

function toEvent(message: SseMessage): StreamEvent {
  let data: unknown = message.data;
  try {
    data = JSON.parse(message.data);
  } catch {
    // Not JSON (the platform always sends JSON): hand the text over as it is.
  }
  return { event: message.event, data, lastEventId: message.lastEventId };
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
