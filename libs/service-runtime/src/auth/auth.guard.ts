import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Authenticator } from './authenticator';
import type { Principal } from './principal';
import { PUBLIC_ROUTE } from './public.decorator';
import { STREAM_ROUTE } from './stream-route.decorator';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Every route needs a caller unless marked `@Public()`. The request gate (an onRequest hook)
 * authenticates before the body is read, so here the principal is normally known already; the
 * guard makes sure of it, and authenticates itself a request the gate did not see (an app built
 * without createServiceApp).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.principal !== undefined) return true;
    const streamRoute =
      request.method === 'GET' && this.reflector.getAllAndOverride<boolean>(STREAM_ROUTE, targets) === true;
    request.principal = await this.authenticator.authenticate(request, streamRoute);
    return true;
  }
}
