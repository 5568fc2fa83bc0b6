import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { Observable, type Subscriber } from 'rxjs';
import { listInPages } from './paged-list';
import type { ResourceNotice } from './resource-notice';

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
  backoffMs?: { initial: number; max: number };
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
   * own; a consumer can tell its clients that it is reconnecting.
   */
  onInterrupted?: (reason: string) => void;
}

interface WatchEnd {
  relist: boolean;
  error?: unknown;
  reason: string;
}

/**
 * List-then-watch that never gives up: unlike client-node's informer (which stops on non-410
 * errors) it restarts on every error with jittered backoff, resumes from the last resourceVersion
 * (bookmarks included), relists on 410 and reports it as a new snapshot, detects silent streams,
 * and aborts the HTTP request when the subscriber unsubscribes. Lists are read and emitted in
 * pages (see {@link listInPages}), so memory does not grow with the number of objects listed.
 */
export function watchResource<T extends KubernetesObject>(
  kc: KubeConfig,
  resource: WatchedResource<T>,
  options: WatchResourceOptions = {},
): Observable<ResourceNotice<T>> {
  return new Observable<ResourceNotice<T>>((subscriber) => {
    const stop = new AbortController();
    void loop(kc, resource, options, subscriber, stop.signal);
    return () => stop.abort();
  });
}

async function loop<T extends KubernetesObject>(
  kc: KubeConfig,
  resource: WatchedResource<T>,
  options: WatchResourceOptions,
  subscriber: Subscriber<ResourceNotice<T>>,
  stop: AbortSignal,
): Promise<void> {
  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  const backoff = options.backoffMs ?? { initial: 250, max: 30_000 };
  let failures = 0;
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
        failures += 1;
        reason = `list failed: ${(error as Error).message}`;
        options.onConnection?.(false, reason);
        options.onInterrupted?.(reason);
        await sleep(jitter(backoff, failures), stop);
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
        failures = 0;
        if (resumedAfter !== undefined) {
          subscriber.next({ kind: 'reconnected', reason: resumedAfter });
          resumedAfter = undefined;
        }
        version = object.metadata?.resourceVersion ?? version;
        if (type !== 'BOOKMARK') subscriber.next({ kind: 'event', type, object: object as T });
      },
    );
    if (stop.aborted) return;
    options.onConnection?.(false, end.reason);
    if (end.relist || end.error !== undefined) options.onInterrupted?.(end.reason);
    if (end.relist) {
      version = undefined;
      reason = end.reason;
      continue;
    }
    if (end.error !== undefined) {
      failures += 1;
      resumedAfter = end.reason;
      await sleep(jitter(backoff, failures), stop);
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
              error: expired ? undefined : object,
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
          else finish({ relist: false, error, reason: (error as Error).message });
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

function jitter(backoff: { initial: number; max: number }, failures: number): number {
  const ceiling = Math.min(backoff.max, backoff.initial * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stop.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
