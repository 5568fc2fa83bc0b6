import type { KubeObject } from '../../core/kube-object';
import { apiVersionOf, type ResourceKind } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { decodeContinue, encodeContinue } from './continue-token';
import { isCustomResource, listKindOf } from './kind-traits';
import { exactListVersion } from './list-options';
import { integer, selectors } from './query';
import { failureStatus, KubeApiError } from './status';

/** A `PodList`, `DeploymentList`, ... as the API server writes it. */
export interface KubeList {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
  'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
  'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
  'modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/**
 * Lists a kind with `labelSelector`, `fieldSelector`, `limit` and `continue`. Every page reports
 * the resourceVersion of the first one, so a watch started from it replays whatever changed while
 * the pages were read (at-least-once, which informers absorb).
 */
export function listObjects(
  ctx: SandboxContext,
  kind: ResourceKind,
  namespace: string | undefined,
  query: URLSearchParams,
): KubeList {
  const { labelSelector, fieldSelector } = selectors(query);
  const limit = integer(query, 'limit') ?? 0;
  const continueText = query.get('continue') ?? '';
  const token = continueText === '' ? undefined : decodeContinue(continueText);
  if (token !== undefined && token.rv < ctx.store.oldestResumableVersion) {
    const status = failureStatus(410, 'Expired', EXPIRED_CONTINUE);
    // Like the server, offer a token that continues at the same key from the current version.
    status.metadata.continue = encodeContinue({ rv: Number(ctx.store.resourceVersion), after: token.after });
    throw new KubeApiError(status);
  }
  const options = { namespace, labelSelector, fieldSelector };
  // Pages of one list share its sorted items (the store recomputes them when the kind changes).
  const optionsKey = [
    namespace ?? '',
    query.get('labelSelector') ?? '',
    query.get('fieldSelector') ?? '',
  ].join('|');
  const current = Number(ctx.store.resourceVersion);
  // A continued list reads the version its first page was read at, as etcd does; so does Exact.
  const at = token !== undefined && token.rv !== current ? token.rv : exactListVersion(query, current);
  const { items, resourceVersion } =
    at === undefined
      ? ctx.store.listShared(kind, options, optionsKey)
      : ctx.store.listSharedAt(kind, options, at, optionsKey);
  // As the API server reads a page (k8s.io/apiserver storage/etcd3 store.go GetList): from the
  // first key after the token's, in key order, at the revision of the list's first page.
  const remaining = token === undefined ? items : items.slice(firstAfter(items, token.after));
  const page = limit > 0 ? remaining.slice(0, limit) : remaining;
  const listVersion = token === undefined ? resourceVersion : String(token.rv);
  const metadata: KubeList['metadata'] = { resourceVersion: listVersion };
  const last = page[page.length - 1];
  if (page.length < remaining.length && last !== undefined) {
    metadata.continue = encodeContinue({ rv: Number(listVersion), after: keyOf(last) });
    metadata.remainingItemCount = remaining.length - page.length;
  }
  return {
    kind: listKindOf(kind),
    apiVersion: apiVersionOf(kind),
    metadata,
    items: page.map((o) => asListItem(kind, o)),
  };
}

/** The index of the first item whose key sorts after `key` (items are in key order). */
function firstAfter(items: readonly KubeObject[], key: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyOf(items[middle] as KubeObject) > key) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The same ordering key the store sorts by. */
function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/**
 * Items of built-in lists carry no apiVersion/kind on the wire (only the list does); custom
 * resources are unstructured and keep them. Clients must not rely on either.
 */
export function asListItem(kind: ResourceKind, object: KubeObject): KubeObject {
  if (isCustomResource(kind)) return object;
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest;
}
