import { canAccessTeam, type Principal, type SseMessage } from '@platform/service-runtime';
import { compareIds } from './change-entry';
import type { ChangeEvent } from './change-events';
import type { FeedNotice } from './change-feed';

/** Why a client is told to reload the list, as the `snapshot` event says it. */
export type ReloadReason = 'new' | 'expired' | 'too-far-behind' | 'history-lost';

const RELOAD_MESSAGES: Record<ReloadReason, string> = {
  new: 'load the app list now; changes after this event follow',
  expired: 'this event id cannot be resumed (too old, or unknown): reload the app list',
  'too-far-behind': 'too many changes since this event id: reload the app list',
  'history-lost': 'the change history was lost: reload the app list',
};

/** Where a session's events go: an SSE response, or a long poll's answer. */
export interface SessionSink {
  /** A message of its own (the `snapshot`); false once the client takes no more. */
  send(message: SseMessage): boolean;
  /** A change, encoded once for every client; false once the client takes no more. */
  change(event: ChangeEvent): boolean;
  /** The client is past `id` without being sent it (a change it may not see). */
  passed(id: string): void;
}

/**
 * One client of the summary stream (SSE or long poll). While its catch-up (replay or reload position) is read
 * from Redis, live changes wait in a buffer; then the buffer and every later change go out if
 * they come after the client's position — so the switch from catch-up to live neither skips nor
 * repeats a change. Each event is checked against the caller's teams.
 */
export class StreamSession {
  /** The id of the last change this client is past (sent, or not its to see). */
  private position = '';
  private buffered: FeedNotice[] | undefined = [];

  constructor(
    private readonly sink: SessionSink,
    private readonly principal: Principal,
  ) {}

  /** A notice of the replica's feed: held back until the catch-up is done. */
  notice(notice: FeedNotice): void {
    if (this.buffered !== undefined) this.buffered.push(notice);
    else this.apply(notice);
  }

  /** Replays changes after the client's cursor, in order (called page by page). */
  replay(cursor: string, events: readonly ChangeEvent[]): void {
    if (this.position === '') this.position = cursor;
    this.send(events);
  }

  /** The replay read the stream up to `id`: live changes up to it were replayed (or not the client's). */
  replayedThrough(id: string): void {
    if (compareIds(id, this.position) <= 0) return;
    this.position = id;
    this.sink.passed(id);
  }

  /** Tells the client to reload the list; it continues from `position`. */
  reload(position: string, reason: ReloadReason): void {
    this.position = position;
    this.sink.send({ event: 'snapshot', id: position, data: { reason, message: RELOAD_MESSAGES[reason] } });
  }

  /** The catch-up is sent: what arrived meanwhile goes out, then changes flow as they come. */
  goLive(): void {
    const waiting = this.buffered ?? [];
    this.buffered = undefined;
    for (const notice of waiting) this.apply(notice);
  }

  private apply(notice: FeedNotice): void {
    if (notice.kind === 'lost') this.reload(notice.position, 'history-lost');
    else this.send(notice.events);
  }

  private send(events: readonly ChangeEvent[]): void {
    for (const event of events) {
      if (this.position !== '' && compareIds(event.id, this.position) <= 0) continue;
      this.position = event.id;
      if (!canAccessTeam(this.principal, event.team)) this.sink.passed(event.id);
      else if (!this.sink.change(event)) return;
    }
  }
}
