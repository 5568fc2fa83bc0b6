import {
  abortableSleep,
  Backoff,
  DEFAULT_BACKOFF,
  endsWatch,
  type BackoffOptions,
  type PageSink,
  type WatchNotice,
} from '@platform/watch';
import type { IncomingMessage } from 'node:http';
import { Observable, type Subscriber } from 'rxjs';
import { classifyError, consume, DEFAULT_IDLE_MS, type Outcome } from './resilient-watch';

export interface SnapshotWatchOptions<R, I> {
  /** Opens the stream from "now" (these servers cannot replay from a resourceVersion). */
  open(signal: AbortSignal): Promise<IncomingMessage>;
  /**
   * Lists the current objects, handing each page to `onPage` as it arrives (servers that cannot
   * page still answer in pages read off the body), resolving when the last one was handed on.
   */
  list(onPage: PageSink<I>, signal: AbortSignal): Promise<void>;
  keyOfItem(item: I): string;
  versionOfItem(item: I): string | undefined;
  keyOfResult(result: R): string;
  versionOfResult(result: R): string | undefined;
  idleTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** As in resilientWatch: told when a connection is up (listed, stream requested) and when it ends. */
  onConnection?: (connected: boolean, reason: string) => void;
}

/**
 * A watch for servers that do not replay missed changes (Argo CD's application stream keeps no
 * history: a reconnect with a resourceVersion silently skips what happened in between). Every
 * connection therefore requests the stream first, then lists, and emits the list as a `snapshot`;
 * stream events that the snapshot already covers (same or older resourceVersion for that object)
 * are dropped, so nothing is missed, nothing repeats, and no state goes backwards.
 */
export function snapshotWatch<R, I>(options: SnapshotWatchOptions<R, I>): Observable<WatchNotice<R, I>> {
  return new Observable<WatchNotice<R, I>>((subscriber) => {
    const controller = new AbortController();
    void run(options, subscriber, controller.signal);
    return () => controller.abort();
  });
}

/**
 * Lists, handing each page on as a `snapshot-page` as it comes, and returns each item's version
 * (names and versions only, for the stream's events to be compared with: never the objects).
 */
async function listAndEmit<R, I>(
  options: SnapshotWatchOptions<R, I>,
  subscriber: Subscriber<WatchNotice<R, I>>,
  reason: string,
  signal: AbortSignal,
): Promise<Map<string, string | undefined>> {
  const floor = new Map<string, string | undefined>();
  await options.list((items, { first, last, restartedBecause }) => {
    if (signal.aborted) return;
    if (first) floor.clear();
    for (const item of items) floor.set(options.keyOfItem(item), options.versionOfItem(item));
    subscriber.next({ kind: 'snapshot-page', items, first, last, reason: restartedBecause ?? reason });
  }, signal);
  return floor;
}

async function run<R, I>(
  options: SnapshotWatchOptions<R, I>,
  subscriber: Subscriber<WatchNotice<R, I>>,
  stop: AbortSignal,
): Promise<void> {
  const backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  let reason = 'initial list';
  while (!stop.aborted) {
    const attempt = new AbortController();
    const abortAttempt = (): void => attempt.abort();
    stop.addEventListener('abort', abortAttempt, { once: true });
    let outcome: Outcome;
    try {
      // The stream is asked for first, so that the server watches from before the list; its
      // headers are not awaited before listing, because grpc-gateway writes them with the first
      // message (ForwardResponseStream): with no application to send, Argo CD answers nothing
      // until one changes, and a list waiting for that left the snapshot unsent for as long.
      const opening = options.open(attempt.signal);
      opening.catch(() => undefined); // Settled below, after the list, or dropped with the attempt.
      const floor = await listAndEmit(options, subscriber, reason, attempt.signal);
      if (stop.aborted) return;
      options.onConnection?.(true, 'listed, stream requested');
      const res = await headersWithin(opening, options.idleTimeoutMs ?? DEFAULT_IDLE_MS, attempt.signal);
      outcome =
        res === undefined
          ? { action: 'resume', reason: 'stream sent nothing' }
          : await consume<R>(res, options, attempt, (result) => {
              backoff.reset();
              const covered = floor.get(options.keyOfResult(result));
              if (covered !== undefined && !isNewer(options.versionOfResult(result), covered)) return;
              subscriber.next({ kind: 'event', event: result });
            });
    } catch (error) {
      if (endsWatch(error)) {
        if (!stop.aborted) subscriber.error(error);
        return;
      }
      outcome = classifyError(error);
    } finally {
      stop.removeEventListener('abort', abortAttempt);
      attempt.abort();
    }
    if (stop.aborted) return;
    options.onConnection?.(false, outcome.reason);
    reason = outcome.reason;
    if (outcome.action === 'backoff') await abortableSleep(backoff.next(), stop);
  }
}

/**
 * The stream's response once its headers arrive, or undefined if none came within `ms` (a server
 * with nothing to send has not answered yet; the caller reconnects, which lists again).
 */
async function headersWithin(
  opening: Promise<IncomingMessage>,
  ms: number,
  signal: AbortSignal,
): Promise<IncomingMessage | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  try {
    return await Promise.race([opening, silence]);
  } finally {
    clearTimeout(timer);
  }
}

/** resourceVersions are opaque, but Kubernetes' are integers in practice; compare them when they are. */
function isNewer(candidate: string | undefined, than: string): boolean {
  if (candidate === undefined) return true;
  const a = Number(candidate);
  const b = Number(than);
  return Number.isInteger(a) && Number.isInteger(b) ? a > b : candidate !== than;
}
