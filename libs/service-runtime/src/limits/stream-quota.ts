import { Injectable } from '@nestjs/common';
import { RateLimitedError } from '@platform/errors';
import type { Principal } from '../auth/principal';
import { RuntimeConfig } from '../config/service-env';

/** A stream slot frees when one of the user's streams ends: soon, or when they close a tab. */
export const STREAM_SLOT_RETRY_AFTER_SECONDS = 5;

/**
 * How many streams each user holds open on this replica: SSE connections and waiting long polls.
 * Each may buffer up to a megabyte for a slow reader and hold upstream watches, so one user (a
 * script, or a portal left open in many tabs) may hold at most STREAMS_PER_USER of them; one more
 * is refused with 429 TOO_MANY_STREAMS before it opens. Counted per replica: a stream lives on
 * the replica that serves it, so with N replicas a user may hold up to N times the cap.
 */
@Injectable()
export class StreamQuota {
  private readonly open = new Map<string, number>();

  constructor(private readonly config: RuntimeConfig) {}

  /** Takes one of the user's slots, or throws TOO_MANY_STREAMS; call the release once the stream ends. */
  take(principal: Principal): () => void {
    const max = this.config.limits.streamsPerUser;
    const held = this.open.get(principal.id) ?? 0;
    if (held >= max) {
      throw new RateLimitedError(
        'TOO_MANY_STREAMS',
        `you have ${held} streams open, the most one user may hold at once (${max}); close one (each browser tab holds its own) and try again`,
        STREAM_SLOT_RETRY_AFTER_SECONDS,
        { limit: max },
      );
    }
    this.open.set(principal.id, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(principal.id) ?? 1) - 1;
      if (left > 0) this.open.set(principal.id, left);
      else this.open.delete(principal.id);
    };
  }

  /** Streams `principal` holds open on this replica. */
  heldBy(principal: Principal): number {
    return this.open.get(principal.id) ?? 0;
  }
}
