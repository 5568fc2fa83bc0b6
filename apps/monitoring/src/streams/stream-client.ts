import { formatReplayPosition, type SseMessage } from '@platform/service-runtime';
import { cursorSegment, formatCursor, topicTag } from './multiplex-cursor';
import type { StreamStart } from './stream-start';
import type { TopicEntry, TopicListener } from './topic';

/** Where a client's events go: an SSE response, or a long poll's answer. */
export interface ClientSink {
  /** One event; `shared` is the topic's own entry when the message is exactly it (its frame is shared). */
  send(message: SseMessage, shared?: TopicEntry): void;
  /** Every topic has ended: nothing more will come. */
  end(): void;
}

/**
 * One client's side of its topics. A single-topic stream sends each event as the topic logged it
 * (`id:` is the topic's position); a multiplexed one wraps the data with its topic and makes
 * `id:` the position in every topic at once — those it resumed or that ended before this
 * connection too, so whichever event a client last saw, its id resumes them all. It ends once
 * every topic has.
 */
export class StreamClient {
  private readonly open = new Set<string>();
  private readonly tags: string[];
  private readonly segments: Array<string | undefined>;
  private readonly index = new Map<string, number>();

  constructor(
    private readonly sink: ClientSink,
    refs: readonly string[],
    start: StreamStart,
    private readonly multiplexed: boolean,
  ) {
    this.tags = multiplexed ? refs.map(topicTag) : [];
    this.segments = refs.map((ref, i) => {
      this.index.set(ref, i);
      const position = start.positionOf(ref);
      return multiplexed && position !== undefined
        ? cursorSegment(this.tags[i] ?? '', formatReplayPosition(position))
        : undefined;
    });
  }

  listener(ref: string): TopicListener {
    this.open.add(ref);
    return {
      deliver: (entry) => this.deliver(ref, entry),
      end: () => this.end(ref),
    };
  }

  private deliver(ref: string, entry: TopicEntry): void {
    if (!this.multiplexed) {
      this.sink.send(entry, entry);
      return;
    }
    const i = this.index.get(ref) ?? 0;
    this.segments[i] = cursorSegment(this.tags[i] ?? '', entry.id);
    this.sink.send({
      event: entry.event,
      id: formatCursor(this.segments),
      data: { topic: ref, data: entry.data },
    });
  }

  private end(ref: string): void {
    this.open.delete(ref);
    // After the current delivery: a topic may end while another is still being subscribed.
    if (this.open.size === 0) setImmediate(() => this.open.size === 0 && this.sink.end());
  }
}
