import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** One grant of a registry token (distribution's `token.ResourceActions`). */
export interface ResourceActions {
  type: string;
  name: string;
  actions: string[];
}

export interface RegistryTokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: ResourceActions[];
}

/** Harbor's issuer and service names (`src/pkg/token/claims/v2`, `src/core/service/token`). */
export const TOKEN_ISSUER = 'harbor-token-issuer';
export const TOKEN_SERVICE = 'harbor-registry';
/** Harbor's default `token_expiration` (30 minutes). */
export const TOKEN_EXPIRATION_SECONDS = 1800;
const LEEWAY_SECONDS = 60;

/**
 * The JWTs Harbor's token service issues and its `/v2` security middleware accepts. Clients treat
 * them as opaque; the sandbox signs them with a per-process HMAC key where Harbor uses its RSA key.
 */
export class RegistryTokens {
  private readonly key = randomBytes(32);

  issue(subject: string, access: ResourceActions[], now = new Date()): { token: string; issuedAt: Date } {
    const iat = Math.floor(now.getTime() / 1000);
    const claims: RegistryTokenClaims = {
      iss: TOKEN_ISSUER,
      sub: subject,
      aud: [TOKEN_SERVICE],
      exp: iat + TOKEN_EXPIRATION_SECONDS,
      nbf: iat,
      iat,
      jti: randomBytes(8).toString('hex'),
      access,
    };
    const header = encode({ alg: 'HS256', typ: 'JWT' });
    const body = encode(claims);
    return { token: `${header}.${body}.${this.sign(`${header}.${body}`)}`, issuedAt: now };
  }

  /** The claims of a token this registry issued that is still valid, else undefined. */
  verify(token: string, now = new Date()): RegistryTokenClaims | undefined {
    const [header, body, signature] = token.split('.');
    if (header === undefined || body === undefined || signature === undefined) return undefined;
    const expected = Buffer.from(this.sign(`${header}.${body}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: RegistryTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as RegistryTokenClaims;
    } catch {
      return undefined;
    }
    const seconds = now.getTime() / 1000;
    if (claims.exp + LEEWAY_SECONDS < seconds || claims.nbf - LEEWAY_SECONDS > seconds) return undefined;
    if (!claims.aud.includes(TOKEN_SERVICE)) return undefined;
    return claims;
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
