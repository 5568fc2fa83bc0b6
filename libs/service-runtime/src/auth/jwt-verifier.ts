import { UnauthorizedError } from '@platform/errors';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from './auth-config';
import type { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Verifies the portal's bearer JWTs: against the identity provider's JWKS (keys cached and
 * refreshed by jose) or, in development, a shared secret; then reads the user, teams and groups.
 */
export class JwtVerifier {
  private readonly key: JWTVerifyGetKey | Uint8Array;
  private readonly verified = new VerifiedTokenCache();

  constructor(private readonly config: AuthConfig) {
    if (config.jwksUrl !== undefined) this.key = createRemoteJWKSet(new URL(config.jwksUrl));
    else if (config.jwtSecret !== undefined) this.key = new TextEncoder().encode(config.jwtSecret);
    else throw new Error('AuthConfig needs jwksUrl or jwtSecret');
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known !== undefined) return known;
    let payload: JWTPayload;
    try {
      const options = { issuer: this.config.issuer, audience: this.config.audience };
      payload =
        this.key instanceof Uint8Array
          ? (await jwtVerify(token, this.key, options)).payload
          : (await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      throw new UnauthorizedError('INVALID_TOKEN', describe(error));
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new UnauthorizedError('INVALID_TOKEN', 'the token has no subject (sub claim)');
    }
    const groups = stringList(payload[this.config.groupsClaim]);
    const principal: Principal = {
      id: payload.sub,
      name: typeof payload.name === 'string' ? payload.name : undefined,
      teams: stringList(payload[this.config.teamsClaim]),
      groups,
      admin: groups.includes(this.config.adminGroup),
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
    };
    Object.freeze(principal.teams);
    Object.freeze(principal.groups);
    this.verified.set(token, Object.freeze(principal), payload.exp);
    return principal;
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired; sign in again';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was signed with an unknown key';
  if (error instanceof errors.JOSEError) return `the token is not valid: ${error.message}`;
  return 'the token is not valid';
}
