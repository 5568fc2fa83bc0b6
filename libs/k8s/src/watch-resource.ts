import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import {
  abortableSleep,
  Backoff,
  DEFAULT_BACKOFF,
  endsWatch,
  type BackoffOptions,
  type ObjectEvent,
  type WatchNotice,
} from '@platform/watch';
import { Observable, type Subscriber } from 'rxjs';
import { kubeError } from './kube-errors';
import { listInPages } from './paged-list';

export interface ListedResource<T> {
  items: T[];
  /** `_continue` is client-node's name for the list's `metadata.continue`. */
  metadata?: { resourceVersion?: string; _continue?: string };
}

/** One kind of object to watch: its watch path and how to list it a page at a time. */
export interface WatchedResource<T> {
  /** e.g. `/api/v1/namespaces/apps/pods`, or `/api/v1/pods` for all namespaces */
  path: string;
  list(query: PageQuery): Promise<ListedResource<T>>;
}

export interface Selectors {
  labelSelector?: string;
  fieldSelector?: string;
}

/** One list request: the selectors, at most `limit` objects, after the server's `_continue` token. */
export interface PageQuery extends Selectors {
  limit?: number;
  _continue?: string;
}

export interface WatchResourceOptions extends Selectors {
  /** The server ends each watch after about this long; we resume from the last version. Default 60. */
  timeoutSeconds?: number;
  /** No line (event or bookmark) for this long means the stream is dead. Default timeoutSeconds + 15 s. */
  idleTimeoutMs?: number;
  /** Between failed attempts; default 250 ms doubling up to 30 s, jittered. */
  backoff?: BackoffOptions;
  /** Objects per list request (`limit`); the list arrives as that many `snapshot-page`s. Default 500. */
  pageSize?: number;
  /**
   * Told when a watch request is established (true) and when it ends or a list fails (false, with
   * why), so that a consumer can judge how long it has been without news.
   */
  onConnection?: (connected: boolean, reason: string) => void;
  /**
   * Told when the watch is lost rather than ended by the server as usual: a dropped or silent
   * stream, an error, a 410 that forces a relist, or a failed list. The watch then retries on its
   * own (unless the error ends it, see {@link endsWatch}); a consumer can tell its clients that it
   * is reconnecting.
   */
  onInterrupted?: (reason: string) => void;
}

interface WatchEnd {
  relist: boolean;
  error?: unknown;
  reason: string;
}

/** The notices of a watched kind of object: its list's pages, then its changes. */
type ResourceNotices<T> = WatchNotice<ObjectEvent<T>, T>;

/**
 * List-then-watch that does not give up on a network: unlike client-node's informer (which stops
 * on non-410 errors) it restarts on every error with jittered backoff, resumes from the last
 * resourceVersion (bookmarks included), relists on 410 and reports it as a new snapshot, detects
 * silent streams, and aborts the HTTP request when the subscriber unsubscribes. Like the Argo
 * watches it fails for good on 401/403 (see {@link endsWatch}), of its list or of its watch.
 * Lists are read and emitted in pages (see {@link listInPages}), so memory does not grow with the
 * number of objects listed. It never emits `resync`: every restart from scratch is a new list.
 */
export function watchResource<T extends KubernetesObject>(
  kc: KubeConfig,
  resource: WatchedResource<T>,
  options: WatchResourceOptions = {},
): Observable<ResourceNotices<T>> {
  return new Observable<ResourceNotices<T>>((subscriber) => {
    const stop = new AbortController();
    void loop(kc, resource, options, subscriber, stop.signal);
    return () => stop.abort();
  });
}

async function loop<T extends KubernetesObject>(
  kc: KubeConfig,
  resource: WatchedResource<T>,
  options: WatchResourceOptions,
  subscriber: Subscriber<ResourceNotices<T>>,
  stop: AbortSignal,
): Promise<void> {
  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  const backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  let version: string | undefined;
  let reason = 'initial list';
  let resumedAfter: string | undefined;
  while (!stop.aborted) {
    if (version === undefined) {
      try {
        const listed = await listInPages(resource, selectors, subscriber, reason, stop, options.pageSize);
        if (listed === undefined) return;
        version = listed.resourceVersion;
        resumedAfter = undefined;
      } catch (error) {
        if (stop.aborted) return;
        reason = `list failed: ${(error as Error).message}`;
        options.onConnection?.(false, reason);
        if (endsWatch(error)) return subscriber.error(error);
        options.onInterrupted?.(reason);
        await abortableSleep(backoff.next(), stop);
        continue;
      }
    }
    const end = await watchOnce(
      kc,
      resource.path,
      selectors,
      version ?? '0',
      options,
      stop,
      (type, object) => {
        backoff.reset();
        if (resumedAfter !== undefined) {
          subscriber.next({ kind: 'reconnected', reason: resumedAfter });
          resumedAfter = undefined;
        }
        version = object.metadata?.resourceVersion ?? version;
        if (type !== 'BOOKMARK') subscriber.next({ kind: 'event', event: { type, object: object as T } });
      },
    );
    if (stop.aborted) return;
    options.onConnection?.(false, end.reason);
    if (endsWatch(end.error)) return subscriber.error(end.error);
    if (end.relist || end.error !== undefined) options.onInterrupted?.(end.reason);
    if (end.relist) {
      version = undefined;
      reason = end.reason;
      continue;
    }
    if (end.error !== undefined) {
      resumedAfter = end.reason;
      await abortableSleep(backoff.next(), stop);
    }
  }
}

type Listener = (type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', object: KubernetesObject) => void;

function watchOnce(
  kc: KubeConfig,
  path: string,
  selectors: Selectors,
  resourceVersion: string,
  options: WatchResourceOptions,
  stop: AbortSignal,
  onEvent: Listener,
): Promise<WatchEnd> {
  const timeoutSeconds = options.timeoutSeconds ?? 60;
  const idleMs = options.idleTimeoutMs ?? timeoutSeconds * 1000 + 15_000;
  return new Promise<WatchEnd>((resolve) => {
    let controller: AbortController | undefined;
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (end: WatchEnd): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      stop.removeEventListener('abort', onStop);
      controller?.abort();
      resolve(end);
    };
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(
        () => finish({ relist: false, error: new Error('idle'), reason: `no data for ${idleMs} ms` }),
        idleMs,
      );
    };
    const onStop = (): void => finish({ relist: false, reason: 'unsubscribed' });
    stop.addEventListener('abort', onStop, { once: true });
    armIdle();
    new Watch(kc)
      .watch(
        path,
        { ...selectors, resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        (type: string, object: KubernetesObject & { code?: number; message?: string }) => {
          armIdle();
          if (type === 'ERROR') {
            const expired = object.code === 410;
            finish({
              relist: expired,
              error: expired ? undefined : statusError(object.code, object.message, object),
              reason: object.message ?? 'watch error',
            });
            return;
          }
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED' || type === 'BOOKMARK')
            onEvent(type, object);
        },
        (error: unknown) => {
          const status = (error as { statusCode?: number } | null)?.statusCode;
          if (status === 410) finish({ relist: true, reason: 'resourceVersion expired (410)' });
          else if (error === null || error === undefined) finish({ relist: false, reason: 'watch ended' });
          else
            finish({
              relist: false,
              error: statusError(status, undefined, error),
              reason: (error as Error).message,
            });
        },
      )
      .then(
        (c) => {
          controller = c;
          if (settled) c.abort();
          else options.onConnection?.(true, 'watch open');
        },
        (error: unknown) => finish({ relist: false, error, reason: (error as Error).message }),
      );
  });
}

/**
 * A failed watch request as a named error when the API server answered with a status (client-node
 * puts it in `statusCode`, an ERROR event in `code`), so that 401 and 403 end the watch like a
 * failed list does; anything else is kept as it came.
 */
function statusError(status: number | undefined, message: string | undefined, error: unknown): unknown {
  if (status === undefined) return error;
  return kubeError({ code: status, body: message ?? (error as Error | undefined)?.message });
}
