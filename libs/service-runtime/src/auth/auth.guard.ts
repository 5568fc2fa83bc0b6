import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthorizedError } from '@platform/errors';
import type { FastifyRequest } from 'fastify';
import { JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';
import { PUBLIC_ROUTE } from './public.decorator';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Every route needs a bearer JWT unless marked `@Public()`. Browsers' EventSource cannot set
 * headers, so GET requests may carry the token as `access_token` instead (it is redacted from logs).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearer(request);
    if (token === undefined) {
      throw new UnauthorizedError('UNAUTHENTICATED', 'send a bearer token: Authorization: Bearer <jwt>');
    }
    request.principal = await this.verifier.verify(token);
    return true;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (request.method !== 'GET') return undefined;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.access_token === 'string' ? query.access_token : undefined;
}
