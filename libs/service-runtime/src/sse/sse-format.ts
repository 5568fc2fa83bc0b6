/** One Server-Sent Event as the services emit it: always named, usually with a resumable id. */
export interface SseMessage {
  event: string;
  data: unknown;
  id?: string;
  retry?: number;
}

/**
 * Encodes one event. The data is JSON on one line; ids and names must not contain line breaks,
 * which would let a value inject fields.
 */
export function formatSse(message: SseMessage): string {
  let frame = `event: ${singleLine(message.event)}\n`;
  if (message.id !== undefined) frame += `id: ${singleLine(message.id)}\n`;
  if (message.retry !== undefined) frame += `retry: ${Math.max(0, Math.floor(message.retry))}\n`;
  return `${frame}data: ${JSON.stringify(message.data)}\n\n`;
}

/** A comment line (ignored by EventSource); used as the heartbeat. */
export function formatSseComment(text = ''): string {
  return `:${text === '' ? '' : ` ${singleLine(text)}`}\n\n`;
}

function singleLine(value: string): string {
  return value.replace(/[\r\n]/g, ' ');
}

/**
 * The last event of a stream whose caller's token expired: clients sign in again and reopen,
 * instead of reconnecting with the expired token in a loop.
 */
export const TOKEN_EXPIRED_EVENT: SseMessage = {
  event: 'unauthorized',
  data: { message: 'your token has expired; sign in again and reopen the stream' },
};

/**
 * The last event of a stream whose caller may no longer see what it streams (the app moved to
 * another team, or is gone): reopening will not help.
 */
export const ACCESS_REVOKED_EVENT: SseMessage = {
  event: 'forbidden',
  data: { message: 'you may no longer see what this stream shows; it is closed' },
};
