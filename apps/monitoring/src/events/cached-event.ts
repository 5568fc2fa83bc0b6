import type { CoreV1Event } from '@kubernetes/client-node';
import type { AppEvent } from '@platform/domain';
import { appEventOf, isAppObject } from './app-event';

/**
 * What a namespace's event cache keeps of one event: what clients are sent (plain strings) and
 * the few numbers that order it. Not the CoreV1Event: client-node's model objects carry Dates and
 * every field of the Event (managedFields, source host, series...), several times the size, for
 * thousands of events per namespace held as long as anyone watches.
 */
export interface CachedEvent {
  /** The key the cache knows it by: the uid (namespace/name without one). */
  key: string;
  resourceVersion: string;
  /** The involved object's name: the app it belongs to is told from it. */
  objectName: string;
  view: AppEvent;
  /** Newest first: last seen, then the MicroTime within its second, then the version. */
  order: [lastSeenMs: number, eventTimeMs: number, version: number];
}

export function cachedEventOf(event: CoreV1Event): CachedEvent {
  const ms = (value: Date | string | undefined | null): number =>
    value === undefined || value === null ? 0 : new Date(value).getTime();
  const version = Number(event.metadata.resourceVersion);
  return {
    key: event.metadata.uid ?? `${event.metadata.namespace ?? ''}/${event.metadata.name ?? ''}`,
    resourceVersion: event.metadata.resourceVersion ?? '',
    objectName: event.involvedObject.name ?? '',
    view: appEventOf(event),
    order: [
      ms(event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp),
      ms(event.eventTime),
      Number.isFinite(version) ? version : 0,
    ],
  };
}

/** The newest `limit` events of `app`'s objects, newest first (as listAppEvents orders them). */
export function newestAppEvents(events: Iterable<CachedEvent>, app: string, limit: number): AppEvent[] {
  const mine = [...events].filter((e) => isAppObject(app, e.objectName));
  mine.sort((a, b) => b.order[0] - a.order[0] || b.order[1] - a.order[1] || b.order[2] - a.order[2]);
  return mine.slice(0, limit).map((e) => e.view);
}
