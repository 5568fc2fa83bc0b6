import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Subscription } from 'rxjs';
import { ShutdownCoordinator } from '../shutdown/shutdown-coordinator';
import type { SseMessage } from '../sse/sse-format';
import { LongPoll, type LongPollAnswer } from './long-poll';

export interface LongPollOptions {
  /** The cursor the answer repeats when no event came. */
  cursor: string;
  waitMs: number;
  /** When the caller's token expires (ms since the epoch), and the last event that then ends the answer. */
  expiry?: { at: number; last: SseMessage };
}

/**
 * Holds the open long polls of a service: each is answered after its wait with what it has (maybe
 * nothing), when the caller's token expires (with the same last event the SSE form sends), and at
 * once when the process starts draining, so its client polls again, on another replica.
 */
@Injectable()
export class LongPolls implements OnModuleDestroy {
  private readonly open = new Set<LongPoll>();
  private readonly drainSubscription: Subscription;

  constructor(shutdown: ShutdownCoordinator) {
    this.drainSubscription = shutdown.draining$.subscribe((draining) => {
      if (draining) this.finishAll();
    });
  }

  get count(): number {
    return this.open.size;
  }

  /**
   * Starts a poll for `reply`'s client; `respond` sends its answer. A client that leaves first
   * abandons it (its answer settles at once, so what it holds is let go).
   */
  start(reply: FastifyReply, options: LongPollOptions): LongPoll {
    const poll = new LongPoll(options.cursor);
    const { expiry, waitMs } = options;
    const untilExpiry = expiry === undefined ? Infinity : Math.max(0, expiry.at - Date.now());
    const timer =
      untilExpiry < waitMs
        ? setTimeout(
            () => poll.finish({ event: expiry?.last.event ?? '', data: expiry?.last.data }),
            untilExpiry,
          )
        : setTimeout(() => poll.finish(), waitMs);
    this.open.add(poll);
    const abandon = (): void => poll.abandon();
    reply.raw.on('close', abandon);
    void poll.answer.then(() => {
      clearTimeout(timer);
      this.open.delete(poll);
      reply.raw.off('close', abandon);
    });
    return poll;
  }

  /** Sends the poll's answer once it is settled (plain JSON, never cached), unless the client left. */
  async respond(reply: FastifyReply, poll: LongPoll): Promise<void> {
    const answer: LongPollAnswer = await poll.answer;
    if (poll.abandoned) return;
    await reply.header('cache-control', 'no-store').send(answer);
  }

  onModuleDestroy(): void {
    this.drainSubscription.unsubscribe();
    this.finishAll();
  }

  private finishAll(): void {
    for (const poll of [...this.open]) poll.finish();
  }
}
