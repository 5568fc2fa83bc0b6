import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { MonitoringConfig } from '../config/monitoring-config';
import { Topic, type TopicSource } from './topic';

interface Held {
  topic: Topic;
  refs: number;
  grace?: NodeJS.Timeout;
  /** Held for long-poll clients between their polls until this time (ms since the epoch). */
  heldUntil?: number;
  holding?: NodeJS.Timeout;
}

/**
 * The shared topics: clients watching the same thing share one Topic and so one upstream watch.
 * Reference-counted; when the last client leaves, the topic lingers for a grace period (a page
 * reload or an EventSource reconnect then reuses it and resumes without a gap) and then closes
 * its upstream.
 */
@Injectable()
export class TopicHub implements OnModuleDestroy {
  private readonly held = new Map<string, Held>();

  constructor(private readonly config: MonitoringConfig) {}

  /** The topic for `key`, started with `source()` if nobody holds it yet. Pair with `release`. */
  acquire(key: string, source: () => TopicSource): Topic {
    let held = this.held.get(key);
    if (held === undefined) {
      const topic = new Topic(key, this.config.streams.replayEvents, source());
      held = { topic, refs: 0 };
      this.held.set(key, held);
      topic.start();
    }
    clearTimeout(held.grace);
    held.grace = undefined;
    held.refs += 1;
    return held.topic;
  }

  release(topic: Topic): void {
    const held = this.held.get(topic.key);
    if (held === undefined || held.topic !== topic) return;
    held.refs -= 1;
    if (held.refs > 0) return;
    held.grace = setTimeout(() => this.close(held), this.config.streams.graceMs);
    held.grace.unref();
  }

  /**
   * Holds `topic` for `ms` more as one more client would: a long-poll client between two polls,
   * whose next poll then resumes from its cursor instead of starting from a snapshot. One timer
   * per topic however often its clients poll.
   */
  holdFor(topic: Topic, ms: number): void {
    const held = this.held.get(topic.key);
    if (held === undefined || held.topic !== topic) return;
    held.heldUntil = Math.max(held.heldUntil ?? 0, Date.now() + ms);
    if (held.holding !== undefined) return;
    held.refs += 1;
    clearTimeout(held.grace);
    held.grace = undefined;
    const check = (): void => {
      const left = (held.heldUntil ?? 0) - Date.now();
      if (left > 0) {
        held.holding = setTimeout(check, left);
        held.holding.unref();
        return;
      }
      held.holding = undefined;
      held.heldUntil = undefined;
      this.release(topic);
    };
    held.holding = setTimeout(check, ms);
    held.holding.unref();
  }

  /** Topics open right now (held or in their grace period). */
  get size(): number {
    return this.held.size;
  }

  /** The topic of `key` when one is open (for reads that can use its state). */
  peek(key: string): Topic | undefined {
    return this.held.get(key)?.topic;
  }

  onModuleDestroy(): void {
    for (const held of [...this.held.values()]) this.close(held);
  }

  private close(held: Held): void {
    clearTimeout(held.grace);
    clearTimeout(held.holding);
    if (this.held.get(held.topic.key) === held) this.held.delete(held.topic.key);
    held.topic.stop();
  }
}
