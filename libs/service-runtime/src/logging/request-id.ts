import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller-supplied id is kept only if it is short and printable, so it cannot forge log lines.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `X-Request-Id` when it is safe to log, otherwise a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate !== undefined && SAFE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

const REQUEST_ID = Symbol('platform:request-id');
type Tagged = IncomingMessage & { [REQUEST_ID]?: string };

/** Decides the request's id once and remembers it on the raw request. */
export function assignRequestId(req: IncomingMessage): string {
  const tagged = req as Tagged;
  tagged[REQUEST_ID] ??= requestIdFor(req);
  return tagged[REQUEST_ID];
}
