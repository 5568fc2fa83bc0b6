import type { CoreV1Event } from '@kubernetes/client-node';
import type { GatheredResourceNotice } from '@platform/k8s';

type EventChange = Extract<GatheredResourceNotice<CoreV1Event>, { kind: 'event' }>;

/** The key one event is known by in a namespace's cache. */
export function eventKey(event: CoreV1Event): string {
  return event.metadata.uid ?? `${event.metadata.namespace ?? ''}/${event.metadata.name ?? ''}`;
}

/**
 * What a fresh list shows that the watch did not deliver: events it lacks (ADDED), events it
 * holds at another version (MODIFIED, e.g. a count gone up) and events no longer listed (DELETED,
 * expired). Events it already holds at the listed version are not repeated.
 */
export function relistChanges(
  known: ReadonlyMap<string, CoreV1Event>,
  listed: readonly CoreV1Event[],
): EventChange[] {
  const changes: EventChange[] = [];
  const listedKeys = new Set<string>();
  for (const event of listed) {
    const key = eventKey(event);
    listedKeys.add(key);
    const held = known.get(key);
    if (held === undefined) changes.push({ kind: 'event', type: 'ADDED', object: event });
    else if (held.metadata.resourceVersion !== event.metadata.resourceVersion)
      changes.push({ kind: 'event', type: 'MODIFIED', object: event });
  }
  for (const [key, event] of known) {
    if (!listedKeys.has(key)) changes.push({ kind: 'event', type: 'DELETED', object: event });
  }
  return changes;
}
