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
  /** Multiplexed only (a single-topic client, of which there are thousands, holds none of this). */
  private readonly multiplex:
    { tags: string[]; segments: Array<string | undefined>; index: Map<string, number> } | undefined;

  constructor(
    private readonly sink: ClientSink,
    refs: readonly string[],
    start: StreamStart,
    multiplexed: boolean,
  ) {
    if (!multiplexed) return;
    const tags = refs.map(topicTag);
    this.multiplex = {
      tags,
      index: new Map(refs.map((ref, i) => [ref, i])),
      segments: refs.map((ref, i) => {
        const position = start.positionOf(ref);
        return position === undefined
          ? undefined
          : cursorSegment(tags[i] ?? '', formatReplayPosition(position));
      }),
    };
  }

  listener(ref: string): TopicListener {
    this.open.add(ref);
    return {
      deliver: (entry) => this.deliver(ref, entry),
      end: () => this.end(ref),
    };
  }

  private deliver(ref: string, entry: TopicEntry): void {
    const multiplex = this.multiplex;
    if (multiplex === undefined) {
      this.sink.send(entry, entry);
      return;
    }
    const i = multiplex.index.get(ref) ?? 0;
    multiplex.segments[i] = cursorSegment(multiplex.tags[i] ?? '', entry.id);
    this.sink.send({
      event: entry.event,
      id: formatCursor(multiplex.segments),
      data: { topic: ref, data: entry.data },
    });
  }

  private end(ref: string): void {
    this.open.delete(ref);
    // After the current delivery: a topic may end while another is still being subscribed.
    if (this.open.size === 0) setImmediate(() => this.open.size === 0 && this.sink.end());
  }
}
