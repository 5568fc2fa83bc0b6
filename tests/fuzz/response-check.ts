import type { RawResponse } from './raw-http';

/**
 * What is wrong with an answer, or undefined: never a 5xx (502/503/504 only when the sandbox was
 * told to fail, which the fuzz run never does), every 4xx in the error envelope with a code and a
 * message, and always an answer (no timeout, no connection closed without one).
 */
export function responseProblem(
  method: string,
  outcome: RawResponse | 'timeout' | 'closed',
): string | undefined {
  if (outcome === 'timeout') return 'no answer in time';
  if (outcome === 'closed') return 'connection closed without an answer';
  const { status, body } = outcome;
  if (!Number.isInteger(status) || status < 200) return `unreadable status ${status}`;
  if (status >= 500) return `${status} ${codeOf(body) ?? 'without an envelope'}`;
  // An answer to HEAD has no body, by definition.
  if (status >= 400 && method !== 'HEAD' && codeOf(body) === undefined)
    return `${status} without the error envelope`;
  return undefined;
}

/** The envelope's code when the body is `{"error":{"code","message"}}` with both strings. */
export function codeOf(body: string): string | undefined {
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    return typeof error?.code === 'string' && typeof error.message === 'string' ? error.code : undefined;
  } catch {
    return undefined;
  }
}
