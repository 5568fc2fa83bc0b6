import type { PodLogLine, PodLogMembership } from '@platform/domain';
import type { TopicEntry, TopicSource } from '../streams/topic';
import type { TopicHub } from '../streams/topic-hub';

/** The app's all-containers logs topic, as the hub knows it. */
export interface AppLogsTopic {
  key: string;
  source: () => TopicSource;
}

/**
 * One container's logs of an app, as a filter of the app's all-containers topic rather than
 * follows of its own: the API server then sees one log follow per container however many clients
 * ask for which container (a `container=` client and a plain one share the upstream). The parent
 * is held while this topic is; its state (AppLogsState) is shared and cut per client by the view.
 */
export function containerLogsSource(hub: TopicHub, parent: AppLogsTopic, container: string): TopicSource {
  return (feed) => {
    const topic = hub.acquire(parent.key, parent.source);
    let last: TopicEntry | undefined;
    const unsubscribe = topic.subscribe({
      deliver: (entry) => {
        last = entry;
        switch (entry.event) {
          case 'snapshot':
            return feed.setState(entry.data);
          case 'log':
            if ((entry.data as PodLogLine).container === container) feed.publish('log', entry.data);
            return;
          case 'pod':
            if ((entry.data as PodLogMembership).container === container) feed.publish('pod', entry.data);
            return;
          case 'reconnecting':
            return feed.publish('reconnecting', entry.data);
          default:
            // The parent's last event (it completed): end() follows and repeats it as ours.
            return;
        }
      },
      // The parent completed: its last event (delivered just before) ends this topic too.
      end: () => feed.complete(last?.event ?? 'upstream-error', last?.data ?? {}),
    });
    return () => {
      unsubscribe();
      hub.release(topic);
    };
  };
}
