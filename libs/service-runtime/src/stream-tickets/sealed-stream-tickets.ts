import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Principal } from '../auth/principal';
import { principalOf, StreamTickets, ticketExpiry, type IssuedTicket } from './stream-tickets';

const AUDIENCE = 'platform-api:stream-ticket';

/**
 * Tickets for a service without shared storage (monitoring has no Redis): the ticket itself
 * carries the principal, encrypted and authenticated (JWE, dir + A256GCM) with a key every
 * replica derives from the same secret, so any replica can redeem it. Single use is enforced per
 * replica (the ids of redeemed tickets are kept until they expire): behind a load balancer a
 * leaked ticket could open one stream on each replica, for at most its 60 seconds. Without a
 * shared secret (development) the key is random per process.
 */
export class SealedStreamTickets extends StreamTickets {
  private readonly key: Uint8Array;
  private readonly used = new Map<string, number>();

  constructor(
    secret: string | undefined,
    private readonly service: string,
  ) {
    super();
    this.key =
      secret === undefined
        ? randomBytes(32)
        : createHash('sha256').update(`stream-tickets:${secret}`).digest();
  }

  async issue(principal: Principal): Promise<IssuedTicket> {
    const expiresAt = ticketExpiry(principal);
    const ticket = await new EncryptJWT({ principal })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setJti(randomUUID())
      .setAudience(`${AUDIENCE}:${this.service}`)
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .encrypt(this.key);
    return { ticket, expiresAt: new Date(Math.floor(expiresAt / 1000) * 1000).toISOString() };
  }

  async redeem(ticket: string): Promise<Principal | undefined> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtDecrypt(ticket, this.key, {
        audience: `${AUDIENCE}:${this.service}`,
        requiredClaims: ['exp', 'jti'],
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      }));
    } catch {
      return undefined;
    }
    const now = Date.now();
    this.forgetExpired(now);
    const jti = payload.jti as string;
    if (this.used.has(jti)) return undefined;
    this.used.set(jti, (payload.exp as number) * 1000);
    const principal = principalOf(payload.principal);
    return principal !== undefined && principal.expiresAt > now ? principal : undefined;
  }

  private forgetExpired(now: number): void {
    for (const [jti, expiresAt] of this.used) if (expiresAt <= now) this.used.delete(jti);
  }
}
