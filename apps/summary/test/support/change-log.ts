import { Redis } from 'ioredis';

/**
 * Every change the leaders append to the `changes` stream, in stream order, with the writer's
 * epoch. Fencing means epochs never go backwards: once a newer leader wrote, an older one never does.
 */
export class ChangeLog {
  readonly epochs: number[] = [];
  private readonly redis: Redis;
  private closed = false;

  private constructor(
    url: string,
    private readonly key: string,
  ) {
    this.redis = new Redis(url);
    this.redis.on('error', () => undefined);
  }

  static open(url: string, prefix: string): Promise<ChangeLog> {
    const log = new ChangeLog(url, `${prefix}changes`);
    void log.follow();
    return Promise.resolve(log);
  }

  /** Epochs seen, in order, with repeats collapsed: [1, 2] means epoch 1 wrote, then only 2. */
  get writers(): number[] {
    return this.epochs.filter((e, i) => i === 0 || e !== this.epochs[i - 1]);
  }

  close(): void {
    this.closed = true;
    this.redis.disconnect();
  }

  private async follow(): Promise<void> {
    let cursor = '0-0';
    while (!this.closed) {
      try {
        const reply = await this.redis.xread('BLOCK', 500, 'STREAMS', this.key, cursor);
        for (const [id, fields] of reply?.[0]?.[1] ?? []) {
          cursor = id;
          for (let i = 0; i + 1 < fields.length; i += 2)
            if (fields[i] === 'epoch') this.epochs.push(Number(fields[i + 1]));
        }
      } catch {
        if (!this.closed) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
