import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { RuntimeConfig } from '../config/service-env';
import type { RedisClient } from '../redis/redis-client';
import { redisCall } from '../redis/redis-call';
import { principalOf, StreamTickets, ticketExpiry, type IssuedTicket } from './stream-tickets';

/**
 * Tickets kept in Redis, which every replica of the service shares: issued on one, redeemed on
 * any, at most once (GETDEL), gone after their time (PX). Redis holds a hash of the ticket, not
 * the ticket, so a copy of its keys opens no stream.
 */
@Injectable()
export class RedisStreamTickets extends StreamTickets {
  constructor(
    @Inject(Redis) private readonly redis: RedisClient,
    private readonly runtime: RuntimeConfig,
  ) {
    super();
  }

  async issue(principal: Principal): Promise<IssuedTicket> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = ticketExpiry(principal);
    const ttlMs = Math.max(1, expiresAt - Date.now());
    await redisCall('issue a stream ticket', () =>
      this.redis.set(this.key(ticket), JSON.stringify(principal), 'PX', ttlMs),
    );
    return { ticket, expiresAt: new Date(expiresAt).toISOString() };
  }

  async redeem(ticket: string): Promise<Principal | undefined> {
    const stored = await redisCall('redeem a stream ticket', () => this.redis.getdel(this.key(ticket)));
    if (stored === null) return undefined;
    const principal = principalOf(JSON.parse(stored));
    return principal !== undefined && principal.expiresAt > Date.now() ? principal : undefined;
  }

  private key(ticket: string): string {
    const digest = createHash('sha256').update(ticket).digest('base64url');
    return `platform-api:stream-ticket:${this.runtime.serviceName}:${digest}`;
  }
}
