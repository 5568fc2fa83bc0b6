import type { Principal } from '../auth/principal';

/** How long a stream ticket may be redeemed after it was issued. */
export const STREAM_TICKET_TTL_MS = 60_000;

export interface IssuedTicket {
  /** Opaque; pass as `?ticket=` to one stream route of the same service. */
  ticket: string;
  /** When it can no longer be redeemed (ISO 8601). */
  expiresAt: string;
}

/**
 * Short-lived, single-use stand-ins for a bearer token in a stream URL: EventSource cannot send
 * headers, and a URL ends up in proxy access logs and browser history, where a ticket is useless
 * once used or a minute old while a JWT would be good for hours. A ticket is bound to the
 * principal (the claims of the token it was issued for) and ends no later than that token.
 */
export abstract class StreamTickets {
  abstract issue(principal: Principal): Promise<IssuedTicket>;
  /** The principal the ticket was issued for, once; undefined when unknown, used or expired. */
  abstract redeem(ticket: string): Promise<Principal | undefined>;
}

/** When a ticket issued now for `principal` stops being redeemable (epoch ms). */
export function ticketExpiry(principal: Principal, nowMs = Date.now()): number {
  return Math.min(nowMs + STREAM_TICKET_TTL_MS, principal.expiresAt);
}

/** The stored form of a ticket's principal, and back (only well-formed ones come back). */
export function principalOf(value: unknown): Principal | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Record<string, unknown>;
  const strings = (list: unknown): list is string[] =>
    Array.isArray(list) && list.every((item) => typeof item === 'string');
  if (typeof p.id !== 'string' || !strings(p.teams) || !strings(p.groups)) return undefined;
  if (typeof p.admin !== 'boolean' || typeof p.expiresAt !== 'number') return undefined;
  return Object.freeze({
    id: p.id,
    name: typeof p.name === 'string' ? p.name : undefined,
    teams: Object.freeze([...p.teams]) as string[],
    groups: Object.freeze([...p.groups]) as string[],
    admin: p.admin,
    expiresAt: p.expiresAt,
  });
}
