import { PlatformError } from '@platform/errors';
import type { ObjectEvent, WatchNotice } from '@platform/watch';
import type { Subscriber } from 'rxjs';
import type { ListedResource, PageQuery, Selectors, WatchedResource } from './watch-resource';

/** Objects per list request: the API server's own informers page by 500 (client-go's pager). */
export const DEFAULT_PAGE_SIZE = 500;

/** A list's continue token outlived the server's history (410 Expired): list again from scratch. */
export function isExpiredContinue(error: unknown): boolean {
  return error instanceof PlatformError && error.code === 'KUBERNETES_EXPIRED';
}

/**
 * Lists in pages of `limit` with the server's `continue` tokens and hands each page on as it
 * comes, so that neither this function nor its consumer ever holds the whole list (a list of
 * 10,000 pods parsed into client-node models is over 100 MB). Every page of one list is read at
 * the resourceVersion of the first, which the returned version is, for the watch to start from.
 *
 * A continue token the server no longer honours (410 Expired: its history was compacted while
 * the pages were read) starts the list over, as client-go's pager does; the consumer sees a new
 * `first` page and drops the half-read snapshot. Other failures are thrown to the caller, which
 * retries with backoff and lists from scratch. Undefined when stopped meanwhile.
 */
export async function listInPages<T>(
  resource: WatchedResource<T>,
  selectors: Selectors,
  subscriber: Subscriber<WatchNotice<ObjectEvent<T>, T>>,
  reason: string,
  stop: AbortSignal,
  limit = DEFAULT_PAGE_SIZE,
): Promise<{ resourceVersion?: string } | undefined> {
  let why = reason;
  for (;;) {
    try {
      return await readAllPages(resource, selectors, subscriber, why, stop, limit);
    } catch (error) {
      if (!isExpiredContinue(error) || stop.aborted) throw error;
      why = `continue token expired (410): listing again`;
    }
  }
}

async function readAllPages<T>(
  resource: WatchedResource<T>,
  selectors: Selectors,
  subscriber: Subscriber<WatchNotice<ObjectEvent<T>, T>>,
  reason: string,
  stop: AbortSignal,
  limit: number,
): Promise<{ resourceVersion?: string } | undefined> {
  let token: string | undefined;
  let first = true;
  let resourceVersion: string | undefined;
  do {
    const page = await emitPage(
      resource,
      { ...selectors, limit, _continue: token },
      subscriber,
      reason,
      first,
      stop,
    );
    if (page === undefined) return undefined;
    if (first) resourceVersion = page.resourceVersion;
    first = false;
    token = page.continue;
  } while (token !== undefined);
  return { resourceVersion };
}

/**
 * One page, emitted in a frame of its own: a suspended async function keeps every value its
 * registers held, so a page awaited in the loop above would stay alive for the next request.
 */
async function emitPage<T>(
  resource: WatchedResource<T>,
  query: PageQuery,
  subscriber: Subscriber<WatchNotice<ObjectEvent<T>, T>>,
  reason: string,
  first: boolean,
  stop: AbortSignal,
): Promise<{ resourceVersion?: string; continue?: string } | undefined> {
  const page: ListedResource<T> = await resource.list(query);
  if (stop.aborted) return undefined;
  const next = page.metadata?._continue;
  const last = next === undefined || next === '';
  subscriber.next({ kind: 'snapshot-page', items: page.items, first, last, reason });
  return { resourceVersion: page.metadata?.resourceVersion, continue: last ? undefined : next };
}
