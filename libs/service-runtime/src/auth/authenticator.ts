import { Injectable, Optional } from '@nestjs/common';
import { UnauthorizedError } from '@platform/errors';
import type { FastifyRequest } from 'fastify';
import { RuntimeConfig } from '../config/service-env';
import { StreamTickets } from '../stream-tickets/stream-tickets';
import { JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';
import { takeQueryCredential } from './query-credential';

const SEND_BEARER = 'send a bearer token: Authorization: Bearer <jwt>';

/**
 * Finds out who is calling: a bearer JWT in the Authorization header or, on a stream route, a
 * stream ticket (`?ticket=`) or the token (`?access_token=`) in the query, because browsers'
 * EventSource cannot set headers; any other route refuses a credential in the URL.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly runtime: RuntimeConfig,
    @Optional() private readonly tickets?: StreamTickets,
  ) {}

  async authenticate(request: FastifyRequest, streamRoute: boolean): Promise<Principal> {
    const inQuery = takeQueryCredential(request.query as Record<string, unknown> | undefined, streamRoute);
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (token === undefined) throw new UnauthorizedError('UNAUTHENTICATED', SEND_BEARER);
      return this.verifier.verify(token);
    }
    if (inQuery?.kind === 'access_token') return this.verifier.verify(inQuery.value);
    if (inQuery?.kind === 'ticket') return this.redeem(inQuery.value);
    throw new UnauthorizedError('UNAUTHENTICATED', SEND_BEARER);
  }

  private async redeem(ticket: string): Promise<Principal> {
    const principal = this.tickets === undefined ? undefined : await this.tickets.redeem(ticket);
    if (principal === undefined) {
      throw new UnauthorizedError(
        'INVALID_TICKET',
        `the stream ticket is unknown, used or expired; get a new one with POST ${this.runtime.routePrefix}/stream-tickets`,
      );
    }
    return principal;
  }
}
