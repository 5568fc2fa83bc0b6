import { CoreV1Api, type CoreV1Event, type KubeConfig } from '@kubernetes/client-node';
import { kubeError } from './kube-errors';

export interface AppObjectsSelector {
  namespace: string;
  /** Objects whose events count: exact names (the Deployment, Service...) */
  names?: string[];
  /** ...and every object whose name starts with one of these (ReplicaSets `<app>-<hash>`, pods). */
  namePrefixes?: string[];
  /** Only Normal or Warning events. */
  type?: 'Normal' | 'Warning';
  limit?: number;
}

/**
 * The Kubernetes events of an app's objects, newest first. Events are de-duplicated by uid (the
 * same event object, counted up, appears once with its highest count) — what a viewer wants.
 */
export async function listAppEvents(kc: KubeConfig, selector: AppObjectsSelector): Promise<CoreV1Event[]> {
  const api = kc.makeApiClient(CoreV1Api);
  let list;
  try {
    list = await api.listNamespacedEvent({
      namespace: selector.namespace,
      fieldSelector: selector.type === undefined ? undefined : `type=${selector.type}`,
    });
  } catch (error) {
    throw kubeError(error);
  }
  return selectAppEvents(list.items, selector);
}

/** The pure part of {@link listAppEvents}: filter, de-duplicate, sort newest first, limit. */
export function selectAppEvents(events: CoreV1Event[], selector: AppObjectsSelector): CoreV1Event[] {
  const names = new Set(selector.names ?? []);
  const prefixes = selector.namePrefixes ?? [];
  const byUid = new Map<string, CoreV1Event>();
  for (const event of events) {
    const name = event.involvedObject.name ?? '';
    if (!names.has(name) && !prefixes.some((p) => name.startsWith(p))) continue;
    if (selector.type !== undefined && event.type !== selector.type) continue;
    const key = event.metadata.uid ?? `${event.metadata.namespace}/${event.metadata.name}`;
    const seen = byUid.get(key);
    if (seen === undefined || (event.count ?? 1) >= (seen.count ?? 1)) byUid.set(key, event);
  }
  const sorted = [...byUid.values()].sort(
    (a, b) => lastSeen(b) - lastSeen(a) || micro(b) - micro(a) || version(b) - version(a),
  );
  return selector.limit === undefined ? sorted : sorted.slice(0, selector.limit);
}

function lastSeen(event: CoreV1Event): number {
  const t =
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
}

/** `lastTimestamp` has whole seconds; the MicroTime `eventTime` orders events within one second. */
function micro(event: CoreV1Event): number {
  return event.eventTime === undefined ? 0 : new Date(event.eventTime).getTime();
}

/** Within the same instant, the event written last (highest resourceVersion) is the newest. */
function version(event: CoreV1Event): number {
  const rv = Number(event.metadata.resourceVersion);
  return Number.isFinite(rv) ? rv : 0;
}
