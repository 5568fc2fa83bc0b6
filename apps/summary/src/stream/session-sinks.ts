import type { LongPoll, SseStream } from '@platform/service-runtime';
import type { SessionSink } from './stream-session';

/** A session over Server-Sent Events: each change's frame is encoded once for every client. */
export function sseSink(stream: SseStream): SessionSink {
  return {
    send: (message) => stream.send(message),
    change: (event) => stream.sendFrame(event.frame),
    // An SSE client's cursor moves with the ids it is sent.
    passed: () => undefined,
  };
}

/**
 * A session answered as one long poll. Changes the caller may not see still move its cursor, so
 * the next poll does not replay them again (nor, past 2,000 of them, reload the list for nothing).
 */
export function pollSink(poll: LongPoll): SessionSink {
  return {
    send: ({ event, id, data }) => poll.add({ event, id, data }),
    change: ({ event, id, data }) => poll.add({ event, id, data }),
    passed: (id) => poll.advance(id),
  };
}
