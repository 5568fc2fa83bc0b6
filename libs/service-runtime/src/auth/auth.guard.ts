import { Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthorizedError } from '@platform/errors';
import type { FastifyRequest } from 'fastify';
import { RuntimeConfig } from '../config/service-env';
import { StreamTickets } from '../stream-tickets/stream-tickets';
import { JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';
import { PUBLIC_ROUTE } from './public.decorator';
import { takeQueryCredential } from './query-credential';
import { STREAM_ROUTE } from './stream-route.decorator';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Every route needs a bearer JWT in the Authorization header unless marked `@Public()`. A GET
 * route marked `@StreamRoute()` may instead carry a stream ticket (`?ticket=`) or the token
 * (`?access_token=`), because browsers' EventSource cannot set headers; any other route refuses
 * a credential in the URL.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly reflector: Reflector,
    private readonly runtime: RuntimeConfig,
    @Optional() private readonly tickets?: StreamTickets,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const streamRoute =
      request.method === 'GET' && this.reflector.getAllAndOverride<boolean>(STREAM_ROUTE, targets) === true;
    const inQuery = takeQueryCredential(request.query as Record<string, unknown> | undefined, streamRoute);
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (token === undefined) {
        throw new UnauthorizedError('UNAUTHENTICATED', 'send a bearer token: Authorization: Bearer <jwt>');
      }
      request.principal = await this.verifier.verify(token);
    } else if (inQuery?.kind === 'access_token') {
      request.principal = await this.verifier.verify(inQuery.value);
    } else if (inQuery?.kind === 'ticket') {
      request.principal = await this.redeem(inQuery.value);
    } else {
      throw new UnauthorizedError('UNAUTHENTICATED', 'send a bearer token: Authorization: Bearer <jwt>');
    }
    return true;
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
