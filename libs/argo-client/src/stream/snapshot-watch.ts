import type { IncomingMessage } from 'node:http';
import { Observable, type Subscriber } from 'rxjs';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { classifyError, consume, delay, isFinal, type Outcome } from './resilient-watch';
import type { WatchNotice } from './watch-notice';

export interface SnapshotWatchOptions<R, I> {
  /** Opens the stream from "now" (these servers cannot replay from a resourceVersion). */
  open(signal: AbortSignal): Promise<IncomingMessage>;
  list(): Promise<I[]>;
  keyOfItem(item: I): string;
  versionOfItem(item: I): string | undefined;
  keyOfResult(result: R): string;
  versionOfResult(result: R): string | undefined;
  idleTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** As in resilientWatch: told when a stream opens (after its list) and when it ends. */
  onConnection?: (connected: boolean, reason: string) => void;
}

/**
 * A watch for servers that do not replay missed changes (Argo CD's application stream keeps no
 * history: a reconnect with a resourceVersion silently skips what happened in between). Every
 * connection therefore opens the stream first, then lists, and emits the list as a `snapshot`;
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
 * Lists, hands the items on and returns each item's version, in a frame of its own: a suspended
 * async function keeps every value its registers held, so a list awaited in `run` stayed alive
 * (tens of MB for thousands of objects) for as long as the stream after it.
 */
async function listAndEmit<R, I>(
  options: SnapshotWatchOptions<R, I>,
  subscriber: Subscriber<WatchNotice<R, I>>,
  reason: string,
): Promise<Map<string, string | undefined>> {
  const items = await options.list();
  subscriber.next({ kind: 'snapshot', items, reason });
  return new Map(items.map((item) => [options.keyOfItem(item), options.versionOfItem(item)]));
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
      const res = await options.open(attempt.signal);
      const buffered: R[] = [];
      // Unset until the list arrives; stream events wait in `buffered` meanwhile.
      let floor: Map<string, string | undefined> | undefined = undefined;
      const forward = (result: R): void => {
        const covered = floor?.get(options.keyOfResult(result));
        if (covered !== undefined && !isNewer(options.versionOfResult(result), covered)) return;
        subscriber.next({ kind: 'event', event: result });
      };
      const consumed = consume<R>(res, options, attempt, (result) => {
        backoff.reset();
        if (floor === undefined) buffered.push(result);
        else forward(result);
      });
      floor = await listAndEmit(options, subscriber, reason);
      if (stop.aborted) return;
      options.onConnection?.(true, 'stream open');
      buffered.splice(0).forEach(forward);
      outcome = await consumed;
    } catch (error) {
      if (isFinal(error)) {
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
    if (outcome.action === 'backoff') await delay(backoff.next(), stop);
  }
}

/** resourceVersions are opaque, but Kubernetes' are integers in practice; compare them when they are. */
function isNewer(candidate: string | undefined, than: string): boolean {
  if (candidate === undefined) return true;
  const a = Number(candidate);
  const b = Number(than);
  return Number.isInteger(a) && Number.isInteger(b) ? a > b : candidate !== than;
}
