import { Injectable } from '@nestjs/common';
import { RateLimitedError } from '@platform/errors';
import { STREAM_SLOT_RETRY_AFTER_SECONDS, type Principal } from '@platform/service-runtime';
import { MonitoringConfig } from '../config/monitoring-config';

/** A user's hold on some topics; `release` lets them go (once, however often it is called). */
export interface TopicClaim {
  release(): void;
}

/**
 * The distinct topics each user watches on this replica, across all their streams and held long
 * polls. A topic is an upstream watch (an app's status, its events, the pods of one container's
 * logs, a task): clients of the same topic share it, but a user asking for new ones (say 50
 * different `container=` values) would open a watch each. At most STREAM_TOPICS_PER_USER distinct
 * ones per user; a stream that would go beyond is refused with 429 TOO_MANY_TOPICS before it
 * opens anything. Per replica, as the streams themselves.
 */
@Injectable()
export class UserTopics {
  /** user id → topic key → how many of the user's streams hold it. */
  private readonly held = new Map<string, Map<string, number>>();

  constructor(private readonly config: MonitoringConfig) {}

  claim(principal: Principal, keys: readonly string[]): TopicClaim {
    const max = this.config.streams.topicsPerUser;
    const mine = this.held.get(principal.id) ?? new Map<string, number>();
    const fresh = new Set(keys.filter((key) => !mine.has(key)));
    if (mine.size + fresh.size > max) {
      throw new RateLimitedError(
        'TOO_MANY_TOPICS',
        `this stream would have you watch ${mine.size + fresh.size} different topics at once, over the ${max} one user may; close streams you no longer need (or ask for fewer topics) and try again`,
        STREAM_SLOT_RETRY_AFTER_SECONDS,
        { limit: max, watching: mine.size, asked: fresh.size },
      );
    }
    for (const key of keys) mine.set(key, (mine.get(key) ?? 0) + 1);
    this.held.set(principal.id, mine);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const key of keys) {
          const left = (mine.get(key) ?? 1) - 1;
          if (left > 0) mine.set(key, left);
          else mine.delete(key);
        }
        if (mine.size === 0 && this.held.get(principal.id) === mine) this.held.delete(principal.id);
      },
    };
  }
}
