import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const GIT_REALM = 'sandbox-git';

/**
 * Checks HTTP basic credentials. Returns the user name when they match (or when the server has no
 * credentials configured, as 'sandbox'), undefined when the request must be answered 401.
 */
export function authenticate(req: IncomingMessage, username?: string, password?: string): string | undefined {
  const header = req.headers.authorization;
  const given =
    header !== undefined && /^Basic /i.test(header) ? decodeBasic(header.slice(6).trim()) : undefined;
  if (username === undefined || password === undefined) return given?.user || 'sandbox';
  if (given === undefined) return undefined;
  return sameText(given.user, username) && sameText(given.password, password) ? given.user : undefined;
}

function decodeBasic(token: string): { user: string; password: string } | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
