import type { ConnectionEvents, MultiplexEvent, TopicKind, TopicRef } from '../types/stream-events';
import type { StreamEvent } from './event-stream';

const CONNECTION_EVENTS: ReadonlySet<string> = new Set<keyof ConnectionEvents>([
  'overflow',
  'shutdown',
  'unauthorized',
]);
/** Events after which a topic sends nothing more. */
const TOPIC_END_EVENTS: ReadonlySet<string> = new Set(['complete', 'upstream-error']);

/**
 * The client side of the multiplexed stream: unwraps `{topic, data}`, and tracks which topics have
 * ended so that a reconnection asks only for the others and the stream stops once all have ended.
 */
export class MultiplexTopics {
  private readonly open: TopicRef[];

  constructor(topics: readonly TopicRef[]) {
    this.open = [...new Set(topics)];
  }

  /** The `topics=` value for the next connection: the topics still open. */
  get query(): string {
    return this.open.join(',');
  }

  map(raw: StreamEvent): MultiplexEvent | undefined {
    if (CONNECTION_EVENTS.has(raw.event))
      return { ...raw, topic: null, kind: null, name: null } as MultiplexEvent;
    const wrapped = raw.data as { topic?: unknown; data?: unknown } | null;
    if (typeof wrapped?.topic !== 'string') return undefined;
    const topic = wrapped.topic as TopicRef;
    const colon = topic.indexOf(':');
    if (TOPIC_END_EVENTS.has(raw.event)) {
      const index = this.open.indexOf(topic);
      if (index !== -1) this.open.splice(index, 1);
    }
    return {
      event: raw.event,
      data: wrapped.data,
      lastEventId: raw.lastEventId,
      topic,
      kind: topic.slice(0, colon) as TopicKind,
      name: topic.slice(colon + 1),
    } as MultiplexEvent;
  }

  /** Whether the stream is over: every topic ended, or the token expired. */
  isFinal(event: MultiplexEvent): boolean {
    return event.event === 'unauthorized' || this.open.length === 0;
  }
}
