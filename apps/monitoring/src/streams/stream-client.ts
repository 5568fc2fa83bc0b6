import type { SseStream } from '@platform/service-runtime';
import { encodeCursor } from './multiplex-cursor';
import { frameOf, type TopicEntry, type TopicListener } from './topic';

/**
 * One SSE connection's side of its topics. A single-topic stream sends each event as the topic
 * encoded it (`id:` is the topic's cursor); a multiplexed one wraps the data with its topic and
 * makes `id:` the position in all topics. The stream ends once every topic has completed.
 */
export class StreamClient {
  private readonly positions = new Map<string, string>();
  private readonly open = new Set<string>();

  constructor(
    private readonly sse: SseStream,
    private readonly multiplexed: boolean,
  ) {}

  listener(ref: string): TopicListener {
    this.open.add(ref);
    return {
      deliver: (entry) => this.deliver(ref, entry),
      end: () => this.end(ref),
    };
  }

  private deliver(ref: string, entry: TopicEntry): void {
    if (!this.multiplexed) {
      this.sse.sendFrame(frameOf(entry));
      return;
    }
    this.positions.set(ref, entry.id);
    this.sse.send({
      event: entry.event,
      id: encodeCursor(this.positions),
      data: { topic: ref, data: entry.data },
    });
  }

  private end(ref: string): void {
    this.open.delete(ref);
    // After the current delivery: a topic may end while another is still being subscribed.
    if (this.open.size === 0) setImmediate(() => this.open.size === 0 && this.sse.close());
  }
}
