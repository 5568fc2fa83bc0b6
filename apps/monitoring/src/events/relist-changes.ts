import type { ObjectEvent } from '@platform/watch';
import type { CachedEvent } from './cached-event';

type EventChange = { kind: 'event'; event: ObjectEvent<CachedEvent> };

/**
 * What a fresh list shows that the watch did not deliver: events it lacks (ADDED), events it
 * holds at another version (MODIFIED, e.g. a count gone up) and events no longer listed (DELETED,
 * expired). Events it already holds at the listed version are not repeated.
 */
export function relistChanges(
  known: ReadonlyMap<string, CachedEvent>,
  listed: readonly CachedEvent[],
): EventChange[] {
  const changes: EventChange[] = [];
  const listedKeys = new Set<string>();
  for (const event of listed) {
    listedKeys.add(event.key);
    const held = known.get(event.key);
    if (held === undefined) changes.push({ kind: 'event', event: { type: 'ADDED', object: event } });
    else if (held.resourceVersion !== event.resourceVersion)
      changes.push({ kind: 'event', event: { type: 'MODIFIED', object: event } });
  }
  for (const [key, event] of known) {
    if (!listedKeys.has(key)) changes.push({ kind: 'event', event: { type: 'DELETED', object: event } });
  }
  return changes;
}
