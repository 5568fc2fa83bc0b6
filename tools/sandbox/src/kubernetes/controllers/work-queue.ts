export interface WorkQueueOptions<T> {
  /** Handlers running at once (different keys); the same key never runs twice concurrently. */
  concurrency?: number;
  /** Combines the payloads of a key added again before it ran. Defaults to keeping the newest. */
  merge?: (queued: T, added: T) => T;
  onError?: (key: string, error: unknown) => void;
}

/**
 * A coalescing work queue, as controllers use: adding a key that is already waiting merges into
 * it, adding a key that is running makes it run once more afterwards. Work starts on a later
 * macrotask, never inside `add()`, because store watch listeners call `add()` synchronously
 * while the store is still notifying other watchers.
 */
export class WorkQueue<T> {
  private readonly pending = new Map<string, T>();
  private readonly running = new Set<string>();
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly handler: (key: string, payload: T) => Promise<void> | void,
    private readonly options: WorkQueueOptions<T> = {},
  ) {}

  add(key: string, payload: T): void {
    if (this.stopped) return;
    const queued = this.pending.get(key);
    const merge = this.options.merge;
    this.pending.set(key, queued !== undefined && merge !== undefined ? merge(queued, payload) : payload);
    this.schedule();
  }

  /** Number of keys waiting or running (tests wait for 0). */
  get size(): number {
    return this.pending.size + this.running.size;
  }

  /** Drops waiting work and refuses more until {@link start}; running handlers finish. */
  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }

  /** Accepts work again after {@link stop} (a controller restarted by a sandbox reset). */
  start(): void {
    this.stopped = false;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    const limit = this.options.concurrency ?? 1;
    for (const [key, payload] of this.pending) {
      if (this.running.size >= limit) break;
      if (this.running.has(key)) continue;
      this.pending.delete(key);
      this.running.add(key);
      void this.run(key, payload);
    }
  }

  private async run(key: string, payload: T): Promise<void> {
    try {
      await this.handler(key, payload);
    } catch (error) {
      this.options.onError?.(key, error);
    } finally {
      this.running.delete(key);
      if (this.pending.size > 0) this.schedule();
    }
  }
}
