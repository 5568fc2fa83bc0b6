import { Redis } from 'ioredis';

/**
 * Every change the leaders publish, in the order Redis delivered them, with the writer's epoch.
 * Fencing means epochs never go backwards: once a newer leader wrote, an older one never does.
 */
export class ChangeLog {
  readonly epochs: number[] = [];
  private readonly redis: Redis;

  private constructor(url: string) {
    this.redis = new Redis(url);
  }

  static async open(url: string, prefix: string): Promise<ChangeLog> {
    const log = new ChangeLog(url);
    log.redis.on('message', (_channel: string, message: string) => {
      log.epochs.push((JSON.parse(message) as { epoch: number }).epoch);
    });
    await log.redis.subscribe(`${prefix}changes`);
    return log;
  }

  /** Epochs seen, in order, with repeats collapsed: [1, 2] means epoch 1 wrote, then only 2. */
  get writers(): number[] {
    return this.epochs.filter((e, i) => i === 0 || e !== this.epochs[i - 1]);
  }

  close(): void {
    this.redis.disconnect();
  }
}
