import type { AppEvent } from '@platform/domain';
import type { GatheredWatchNotice, ObjectEvent } from '@platform/watch';
import type { Observable } from 'rxjs';
import type { TopicSource } from '../streams/topic';
import { isAppObject } from './app-event';
import { newestAppEvents, type CachedEvent } from './cached-event';

/** Events a late joiner's snapshot holds. */
export const RECENT_EVENTS = 100;

/**
 * An app's events topic: its objects' events out of the namespace's shared watch. A `snapshot`
 * (newest last) at start and after every relist (then preceded by `reconnecting`), and an
 * `event` for each new or updated (counted up) event.
 */
export function appEventsSource(
  events$: Observable<GatheredWatchNotice<ObjectEvent<CachedEvent>, CachedEvent>>,
  app: string,
): TopicSource {
  return (feed) => {
    let recent: AppEvent[] = [];
    let connected = false;
    const subscription = events$.subscribe({
      next: (notice) => {
        switch (notice.kind) {
          case 'snapshot': {
            if (connected) feed.publish('reconnecting', { reason: notice.reason });
            connected = true;
            recent = newestAppEvents(notice.items, app, RECENT_EVENTS).reverse();
            feed.snapshot(recent);
            return;
          }
          case 'event': {
            const { type, object } = notice.event;
            if (type === 'DELETED' || !isAppObject(app, object.objectName)) return;
            const event = object.view;
            recent = [...recent.filter((e) => e.uid !== event.uid), event].slice(-RECENT_EVENTS);
            feed.publish('event', event);
            feed.setState(recent);
            return;
          }
          case 'resync':
          case 'reconnected':
            feed.publish('reconnecting', { reason: notice.reason });
            return;
        }
      },
      error: (error: unknown) =>
        feed.complete('upstream-error', { message: `the events watch failed: ${(error as Error).message}` }),
    });
    return () => subscription.unsubscribe();
  };
}
