import type { StreamClient } from './stream-client';
import type { StreamStart } from './stream-start';
import type { Topic } from './topic';
import type { TopicHub } from './topic-hub';
import type { TopicRequest } from './topic-streams';

/**
 * One client's hold on its topics: acquired from the hub and subscribed from where the client
 * starts (a topic it saw end is left alone), let go when the client is done with them.
 */
export class TopicSession {
  private readonly held: Array<{ topic: Topic; unsubscribe: () => void }> = [];

  constructor(private readonly hub: TopicHub) {}

  /** Subscribes `client` to the topics; stops early once `closed()` (the client left meanwhile). */
  open(
    topics: readonly TopicRequest[],
    start: StreamStart,
    client: StreamClient,
    closed: () => boolean,
  ): void {
    for (const request of topics) {
      if (closed()) return;
      if (start.hasEnded(request.ref)) continue;
      const topic = this.hub.acquire(request.key, request.source);
      const unsubscribe = topic.subscribe(
        client.listener(request.ref),
        start.positionOf(request.ref),
        request.view,
      );
      this.held.push({ topic, unsubscribe });
    }
  }

  /** Lets the topics go; `holdMs` keeps them that much longer for a client that will be back (a poller). */
  close(holdMs = 0): void {
    for (const { topic, unsubscribe } of this.held.splice(0)) {
      unsubscribe();
      if (holdMs > 0) this.hub.holdFor(topic, holdMs);
      this.hub.release(topic);
    }
  }
}
