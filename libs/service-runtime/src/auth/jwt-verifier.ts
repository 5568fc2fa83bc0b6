import { Logger } from '@nestjs/common';
import { UnauthorizedError } from '@platform/errors';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import type { AuthConfig } from './auth-config';
import type { Principal } from './principal';
import { TeamNameFilter } from './team-names';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Verifies the portal's bearer JWTs: against the identity provider's JWKS (keys cached and
 * refreshed by jose) or, in development, a shared secret; then reads the user, teams and groups.
 * A token must name its subject and expire (`sub`, `exp`), be signed with an allowed algorithm,
 * come from the configured issuer for the configured audience, and, when a maximum age is set,
 * have been issued (`iat`) within it.
 */
export class JwtVerifier {
  private readonly key: JWTVerifyGetKey | Uint8Array;
  private readonly verified = new VerifiedTokenCache();
  private readonly options: JWTVerifyOptions;
  private readonly teamNames: TeamNameFilter;

  constructor(
    private readonly config: AuthConfig,
    logger: Pick<Logger, 'warn'> = new Logger('Auth'),
  ) {
    if (config.jwksUrl !== undefined) this.key = createRemoteJWKSet(new URL(config.jwksUrl));
    else if (config.jwtSecret !== undefined) this.key = new TextEncoder().encode(config.jwtSecret);
    else throw new Error('AuthConfig needs jwksUrl or jwtSecret');
    this.options = {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: config.algorithms,
      requiredClaims: ['exp', 'sub'],
      maxTokenAge: config.maxTokenAgeSeconds,
    };
    this.teamNames = new TeamNameFilter((message) => logger.warn(message));
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known !== undefined) return known;
    let payload: JWTPayload;
    try {
      payload =
        this.key instanceof Uint8Array
          ? (await jwtVerify(token, this.key, this.options)).payload
          : (await jwtVerify(token, this.key, this.options)).payload;
    } catch (error) {
      throw new UnauthorizedError('INVALID_TOKEN', describe(error));
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new UnauthorizedError('INVALID_TOKEN', 'the token has no subject (sub claim)');
    }
    const groups = stringList(payload[this.config.groupsClaim]);
    const expiresAtS = this.expiresAt(payload);
    const principal: Principal = {
      id: payload.sub,
      name: typeof payload.name === 'string' ? payload.name : undefined,
      teams: this.teamNames.keep(stringList(payload[this.config.teamsClaim])),
      groups,
      admin: groups.includes(this.config.adminGroup),
      expiresAt: expiresAtS * 1000,
    };
    Object.freeze(principal.teams);
    Object.freeze(principal.groups);
    this.verified.set(token, Object.freeze(principal), expiresAtS);
    return principal;
  }

  /** When the token stops being accepted: its `exp`, or sooner when the maximum age ends first. */
  private expiresAt(payload: JWTPayload): number {
    const exp = payload.exp as number;
    const maxAge = this.config.maxTokenAgeSeconds;
    if (maxAge === undefined || typeof payload.iat !== 'number') return exp;
    return Math.min(exp, payload.iat + maxAge);
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat'
      ? 'the token was issued too long ago; sign in again'
      : 'the token has expired; sign in again';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') {
      return error.claim === 'exp'
        ? 'the token has no exp claim; only tokens that expire are accepted'
        : `the token has no ${error.claim} claim`;
    }
    return `the token's ${error.claim} claim is not accepted`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'the token is signed with an algorithm that is not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was signed with an unknown key';
  if (error instanceof errors.JOSEError) return `the token is not valid: ${error.message}`;
  return 'the token is not valid';
}
