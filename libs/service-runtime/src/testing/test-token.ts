import { SignJWT } from 'jose';

/** The development secret the tests configure as AUTH_JWT_SECRET. */
export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters';

export interface TestClaims {
  sub?: string;
  name?: string;
  teams?: string[];
  groups?: string[];
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  audience?: string;
}

/** A portal-like HS256 JWT for tests. */
export function signTestToken(claims: TestClaims = {}, secret = TEST_JWT_SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: claims.name, teams: claims.teams ?? ['payments'], groups: claims.groups ?? [] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? 'alice')
    .setAudience(claims.audience ?? 'platform-api')
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresIn ?? 3600))
    .sign(new TextEncoder().encode(secret));
}
