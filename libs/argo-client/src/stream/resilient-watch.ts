import { PlatformError } from '@platform/errors';
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
import { GrpcGatewayStreamParser } from '../sse/grpc-gateway-stream-parser';
import type { StreamErrorPayload } from '../sse/stream-message';

export interface ResilientWatchOptions<R, I = never> {
  /**
   * Lists the current objects, handing each page to `onPage` as it arrives, and resolves with the
   * version to watch from. With it the watch is list-then-watch (`snapshot-page`s, then changes);
   * without it, the stream itself sends the current objects first.
   */
  list?: (onPage: PageSink<I>) => Promise<{ resourceVersion?: string }>;
  /** Opens the stream, resuming after `resourceVersion` when given. */
  open(resourceVersion: string | undefined, signal: AbortSignal): Promise<IncomingMessage>;
  /** The resourceVersion carried by one result, to resume after it. */
  versionOf(result: R): string | undefined;
  /** A stream silent for this long (no event, no keepalive) is presumed dead. Default 40 s. */
  idleTimeoutMs?: number;
  backoff?: BackoffOptions;
  /**
   * Told when a stream opens (true) and when one ends or cannot be opened (false, with why), so
   * that a consumer can judge how long it has been without news (e.g. to mark data stale).
   */
  onConnection?: (connected: boolean, reason: string) => void;
}

/** A stream silent for this long (no event, no keepalive) is presumed dead. */
export const DEFAULT_IDLE_MS = 40_000;

export type Outcome = { action: 'resume' | 'relist' | 'backoff'; reason: string };

const RELIST_GRPC = new Set([3, 9]);
const RESUME_NOW_GRPC = new Set([8]);

/**
 * A watch over a grpc-gateway stream that survives real networks: it resumes from the last
 * resourceVersion after a clean end, an `EOF`/429 error frame or a network drop; relists (emits
 * `resync`) when the version is too old (400/410); backs off with jitter between failed attempts;
 * treats a silent stream as dead; fails for good on 401/403 ({@link endsWatch}); and closes the
 * HTTP connection when the subscriber unsubscribes.
 */
export function resilientWatch<R, I = never>(
  options: ResilientWatchOptions<R, I>,
): Observable<WatchNotice<R, I>> {
  return new Observable<WatchNotice<R, I>>((subscriber) => {
    const controller = new AbortController();
    void run(options, subscriber, controller.signal);
    return () => controller.abort();
  });
}

/**
 * Lists, handing each page on as a `snapshot-page` the moment it arrives, so that no list is
 * ever held whole here. Undefined when stopped meanwhile.
 */
async function listAndEmit<R, I>(
  list: (onPage: PageSink<I>) => Promise<{ resourceVersion?: string }>,
  subscriber: Subscriber<WatchNotice<R, I>>,
  reason: string,
  stop: AbortSignal,
): Promise<{ resourceVersion?: string } | undefined> {
  const listed = await list((items, { first, last, restartedBecause }) => {
    if (stop.aborted) return;
    subscriber.next({ kind: 'snapshot-page', items, first, last, reason: restartedBecause ?? reason });
  });
  if (stop.aborted) return undefined;
  return { resourceVersion: listed.resourceVersion };
}

async function run<R, I>(
  options: ResilientWatchOptions<R, I>,
  subscriber: Subscriber<WatchNotice<R, I>>,
  stop: AbortSignal,
): Promise<void> {
  const backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  let version: string | undefined;
  let pendingNotice: WatchNotice<R, I> | undefined;
  let snapshotReason = 'initial list';
  while (!stop.aborted) {
    if (version === undefined && options.list !== undefined) {
      try {
        const listed = await listAndEmit(options.list, subscriber, snapshotReason, stop);
        if (listed === undefined) return;
        version = listed.resourceVersion;
        pendingNotice = undefined;
      } catch (error) {
        if (endsWatch(error)) return subscriber.error(error);
        snapshotReason = `list failed: ${(error as Error).message}`;
        options.onConnection?.(false, snapshotReason);
        await abortableSleep(backoff.next(), stop);
        continue;
      }
    }
    const attempt = new AbortController();
    const abortAttempt = (): void => attempt.abort();
    stop.addEventListener('abort', abortAttempt, { once: true });
    let outcome: Outcome;
    try {
      const res = await options.open(version, attempt.signal);
      options.onConnection?.(true, 'stream open');
      if (pendingNotice !== undefined) subscriber.next(pendingNotice);
      pendingNotice = undefined;
      outcome = await consume<R>(res, options, attempt, (result) => {
        backoff.reset();
        const next = options.versionOf(result);
        if (next !== undefined) version = next;
        subscriber.next({ kind: 'event', event: result });
      });
    } catch (error) {
      outcome = classifyError(error);
      if (outcome.action === 'backoff' && endsWatch(error)) {
        if (!stop.aborted) subscriber.error(error);
        return;
      }
    } finally {
      stop.removeEventListener('abort', abortAttempt);
      attempt.abort();
    }
    if (stop.aborted) return;
    options.onConnection?.(false, outcome.reason);
    if (outcome.action === 'relist') version = undefined;
    snapshotReason = outcome.reason;
    // Without a version to resume from, the next stream starts from scratch: a list-then-watch
    // says so with its snapshot, a plain stream with `resync`.
    pendingNotice =
      version !== undefined
        ? { kind: 'reconnected', reason: outcome.reason }
        : options.list === undefined
          ? { kind: 'resync', reason: outcome.reason }
          : undefined;
    if (outcome.action === 'backoff') await abortableSleep(backoff.next(), stop);
  }
}

export function consume<R>(
  res: IncomingMessage,
  options: { idleTimeoutMs?: number },
  attempt: AbortController,
  onResult: (result: R) => void,
): Promise<Outcome> {
  const parser = new GrpcGatewayStreamParser<R>();
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
  return new Promise<Outcome>((resolve) => {
    let idle = setTimeout(onIdle, idleMs);
    let settled = false;
    function settle(outcome: Outcome): void {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      res.destroy();
      resolve(outcome);
    }
    function onIdle(): void {
      settle({ action: 'resume', reason: `no data for ${idleMs} ms` });
    }
    res.on('data', (chunk: Buffer) => {
      clearTimeout(idle);
      idle = setTimeout(onIdle, idleMs);
      try {
        for (const message of parser.push(chunk)) {
          if (message.kind === 'result') onResult(message.result);
          else if (message.kind === 'error') return settle(classifyFrame(message.error));
          else if (message.kind === 'empty')
            return settle({ action: 'backoff', reason: 'empty error frame' });
        }
      } catch (error) {
        settle({ action: 'backoff', reason: (error as Error).message });
      }
    });
    res.on('end', () => settle({ action: 'resume', reason: 'stream ended' }));
    res.on('error', (error) => settle({ action: 'backoff', reason: error.message }));
    res.on('close', () =>
      settle({ action: attempt.signal.aborted ? 'resume' : 'backoff', reason: 'connection closed' }),
    );
  });
}

function classifyFrame(error: StreamErrorPayload): Outcome {
  const reason = `${error.message ?? 'stream error'} (grpc ${error.grpc_code ?? '?'}, http ${error.http_code ?? '?'})`;
  if (RELIST_GRPC.has(error.grpc_code ?? -1) || error.http_code === 410) return { action: 'relist', reason };
  if (RESUME_NOW_GRPC.has(error.grpc_code ?? -1)) return { action: 'resume', reason };
  return { action: 'backoff', reason };
}

export function classifyError(error: unknown): Outcome {
  const reason = error instanceof Error ? error.message : String(error);
  const kind = error instanceof PlatformError ? error.kind : undefined;
  if (kind === 'invalid-request') return { action: 'relist', reason };
  return { action: 'backoff', reason };
}
