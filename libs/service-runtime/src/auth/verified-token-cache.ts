import type { Principal } from './principal';

/** How long a verified token is trusted without checking its signature again. */
const MAX_CACHE_MS = 5 * 60_000;

/**
 * Principals of tokens whose signature was verified, until the token expires (at most five
 * minutes, so a rotated-out signing key stops working soon). A portal sends the same token with
 * every request: verifying an RS256 signature each time costs more than the rest of the auth.
 * Bounded: when full, the oldest entry goes.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { principal: Principal; untilMs: number }>();

  constructor(private readonly capacity = 10_000) {}

  get(token: string, nowMs = Date.now()): Principal | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (nowMs < entry.untilMs) return entry.principal;
    this.entries.delete(token);
    return undefined;
  }

  /** `expiresAtS`: the token's `exp` claim; a token without one is not cached. */
  set(token: string, principal: Principal, expiresAtS: number | undefined, nowMs = Date.now()): void {
    if (expiresAtS === undefined) return;
    const untilMs = Math.min(expiresAtS * 1000, nowMs + MAX_CACHE_MS);
    if (untilMs <= nowMs) return;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { principal, untilMs });
  }
}
