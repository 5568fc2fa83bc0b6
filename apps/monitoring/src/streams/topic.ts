import { formatSse, SseReplayLog, type ReplayEntry, type ReplayPosition } from '@platform/service-runtime';

/** What a topic's upstream side writes to. */
export interface TopicFeed {
  /** An event for every client, kept for Last-Event-ID resumes. */
  publish(event: string, data: unknown): void;
  /** `publish('snapshot', data)` that also becomes the state new clients start from. */
  snapshot(data: unknown): void;
  /** The state a client joining without a usable cursor starts from (sent as `snapshot`). */
  setState(data: unknown): void;
  /**
   * The topic ends: `complete` (or the error) is its last event, its id says `.end`; clients'
   * streams then end, and a client that comes back with that id is told nothing follows (204).
   */
  complete(event: string, data: unknown): void;
}

/** Starts the upstream side of a topic; returns what stops it. */
export type TopicSource = (feed: TopicFeed) => () => void;

/** One client's view of a topic. */
export interface TopicListener {
  deliver(entry: TopicEntry): void;
  /** The topic completed and everything was delivered. */
  end(): void;
}

/** A logged event; `frame` caches its encoding for single-topic clients. */
export interface TopicEntry extends ReplayEntry {
  frame?: string;
}

/** How a client turns the topic's state into its own snapshot (e.g. the last `tail` log lines). */
export type SnapshotView = (state: unknown) => unknown;

/**
 * One shared stream of one thing (an app's status, a task...): a single upstream source, a bounded
 * log of its events for resumes, and the current state for clients that cannot resume. Clients
 * join and leave; the hub decides when the source stops.
 */
export class Topic {
  readonly log: SseReplayLog;
  private state: unknown;
  private ready = false;
  private final: TopicEntry | undefined;
  private readonly live = new Set<TopicListener>();
  private readonly waiting = new Map<TopicListener, SnapshotView | undefined>();
  private stopSource: (() => void) | undefined;
  /**
   * The last snapshot sent, for the next client that starts from the same state and view: one
   * encoding of it for all (a merged log's snapshot is hundreds of kilobytes, and a crowd that
   * joins at once would otherwise each get its own copy). Forgotten when anything is published.
   */
  private lastSnapshot: TopicEntry | undefined;

  constructor(
    readonly key: string,
    capacity: number,
    private readonly source: TopicSource,
  ) {
    this.log = new SseReplayLog(capacity);
  }

  get completed(): boolean {
    return this.final !== undefined;
  }

  get listeners(): number {
    return this.live.size + this.waiting.size;
  }

  start(): void {
    this.stopSource = this.source({
      publish: (event, data) => this.publish(event, data),
      snapshot: (data) => {
        this.publish('snapshot', data);
        this.setState(data);
      },
      setState: (data) => this.setState(data),
      complete: (event, data) => this.complete(event, data),
    });
  }

  stop(): void {
    const stop = this.stopSource;
    this.stopSource = undefined;
    stop?.();
  }

  /**
   * Adds a client: resumes after `cursor` when this topic still holds it, else starts it from a
   * fresh snapshot (once the first state is known).
   */
  subscribe(listener: TopicListener, cursor?: ReplayPosition, view?: SnapshotView): () => void {
    const replay = cursor === undefined ? undefined : this.log.after(cursor);
    if (replay !== undefined) {
      replay.forEach((entry) => listener.deliver(entry));
      if (this.completed) listener.end();
      else this.live.add(listener);
    } else if (this.ready) {
      this.startFromSnapshot(listener, view);
    } else if (this.final !== undefined) {
      listener.deliver(this.final);
      listener.end();
    } else {
      this.waiting.set(listener, view);
    }
    return () => {
      this.live.delete(listener);
      this.waiting.delete(listener);
    };
  }

  private startFromSnapshot(listener: TopicListener, view: SnapshotView | undefined): void {
    const data = view === undefined ? this.state : view(this.state);
    // The state is that of the last event before the final one: the snapshot takes its position,
    // so that the final event that follows has an id of its own.
    const id = this.final === undefined ? this.log.lastId : this.log.idAt(this.final.seq - 1);
    const last = this.lastSnapshot;
    const entry: TopicEntry =
      last !== undefined && last.data === data && last.id === id
        ? last
        : { id, seq: 0, event: 'snapshot', data };
    this.lastSnapshot = entry;
    listener.deliver(entry);
    if (this.final !== undefined) {
      listener.deliver(this.final);
      listener.end();
    } else {
      this.live.add(listener);
    }
  }

  private publish(event: string, data: unknown): void {
    if (this.final !== undefined) return;
    this.lastSnapshot = undefined;
    const entry: TopicEntry = this.log.append(event, data);
    for (const listener of [...this.live]) listener.deliver(entry);
  }

  private setState(data: unknown): void {
    this.state = data;
    this.lastSnapshot = undefined;
    if (this.ready) return;
    this.ready = true;
    for (const [listener, view] of [...this.waiting]) {
      this.waiting.delete(listener);
      this.startFromSnapshot(listener, view);
    }
  }

  private complete(event: string, data: unknown): void {
    if (this.final !== undefined) return;
    const entry: TopicEntry = this.log.end(event, data);
    this.final = entry;
    for (const listener of [...this.live]) listener.deliver(entry);
    for (const listener of [...this.live]) listener.end();
    this.live.clear();
    for (const listener of [...this.waiting.keys()]) {
      listener.deliver(entry);
      listener.end();
    }
    this.waiting.clear();
    this.stop();
  }
}

/** The SSE frame of an entry for a single-topic stream, encoded once for all its clients. */
export function frameOf(entry: TopicEntry): string {
  entry.frame ??= formatSse({ event: entry.event, id: entry.id, data: entry.data });
  return entry.frame;
}
