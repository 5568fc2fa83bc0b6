import { PlatformApiError } from '../errors';
import type { StreamEvent } from './event-stream';

/** One event of a long-poll answer: the SSE form's name, id and (parsed) data. */
interface PolledEvent {
  event: string;
  id?: string;
  data: unknown;
}

/** What the services answer a long poll with. */
interface LongPollAnswer {
  events: PolledEvent[];
  cursor: string;
}

/** A long poll's outcome: the events (as the SSE form would have delivered them), or the stream's end. */
export type PollResult = { ended: true } | { ended: false; events: StreamEvent[]; cursor: string };

/**
 * One long poll of a stream: GET its URL with `cursor` and `wait`, answered as plain JSON as soon as
 * there is an event after the cursor (or empty after `wait` s); 204 means the stream has ended. Each
 * event's `lastEventId` is its id, so the cursor moves exactly as on the SSE form.
 */
export async function longPoll(
  fetchFn: typeof fetch,
  url: string,
  request: { cursor: string; waitSeconds: number; headers: Record<string, string>; signal: AbortSignal },
): Promise<PollResult> {
  const target = new URL(url);
  if (request.cursor !== '') target.searchParams.set('cursor', request.cursor);
  target.searchParams.set('wait', String(request.waitSeconds));
  const response = await fetchFn(target.toString(), {
    headers: { ...request.headers, accept: 'application/json' },
    signal: request.signal,
    cache: 'no-store',
  });
  if (response.status === 204) return { ended: true };
  if (!response.ok) throw await PlatformApiError.fromResponse(response);
  const answer = (await response.json()) as LongPollAnswer;
  let cursor = request.cursor;
  const events = answer.events.map((polled): StreamEvent => {
    if (polled.id !== undefined) cursor = polled.id;
    return { event: polled.event, data: polled.data, lastEventId: cursor };
  });
  return { ended: false, events, cursor: answer.cursor === '' ? cursor : answer.cursor };
}
