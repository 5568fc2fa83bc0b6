import type { IncomingHttpHeaders } from 'node:http';

/**
 * The cursor a reconnecting client resumes from: the `Last-Event-ID` header EventSource sends on
 * its own reconnects, or a `lastEventId` query parameter for a page that opens a new EventSource
 * (which cannot set headers) after a reload.
 */
export function lastEventId(headers: IncomingHttpHeaders, query: unknown): string | undefined {
  const header = headers['last-event-id'];
  const value =
    typeof header === 'string'
      ? header
      : typeof (query as Record<string, unknown> | undefined)?.lastEventId === 'string'
        ? ((query as Record<string, unknown>).lastEventId as string)
        : undefined;
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
