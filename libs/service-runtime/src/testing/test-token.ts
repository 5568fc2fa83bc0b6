import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';

/** The development secret the tests configure as AUTH_JWT_SECRET. */
export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters';
/** The issuer of test tokens, configured as AUTH_ISSUER. */
export const TEST_ISSUER = 'https://idp.platform-api.test';

/** The AUTH_* environment under which services accept {@link signTestToken}'s tokens. */
export const TEST_AUTH_ENV: Readonly<Record<string, string>> = {
  AUTH_JWT_SECRET: TEST_JWT_SECRET,
  AUTH_ISSUER: TEST_ISSUER,
};

/**
 * The limits of a test process's services: the defaults, with two exceptions for the machine they
 * run on. Their rate-limit counters are apart from every other process's (the tests of a machine
 * share one Redis, and users like `alice` and the client address 127.0.0.1 repeat across them).
 * And they do not shed load on event-loop delay: on a shared 2-core machine a second of lag is the
 * neighbours', and a 503 OVERLOADED would fail a test about something else (the load-shedding test
 * sets its own threshold). Spread it into a test service's environment next to TEST_AUTH_ENV.
 */
export const TEST_LIMITS_ENV: Readonly<Record<string, string>> = {
  RATE_LIMIT_KEY_PREFIX: `test-${process.pid}-${randomBytes(4).toString('hex')}:`,
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
};

export interface TestClaims {
  /** `null` leaves the claim out. */
  sub?: string | null;
  name?: string;
  teams?: string[];
  groups?: string[];
  /** Seconds from now; negative for an expired token; `null` for a token without `exp`. */
  expiresIn?: number | null;
  /** Seconds ago the token was issued (`iat`). */
  issuedAgo?: number;
  audience?: string;
  /** `null` leaves the claim out. */
  issuer?: string | null;
}

/** A portal-like HS256 JWT for tests. */
export function signTestToken(claims: TestClaims = {}, secret = TEST_JWT_SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    name: claims.name,
    teams: claims.teams ?? ['payments'],
    groups: claims.groups ?? [],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(claims.audience ?? 'platform-api')
    .setIssuedAt(now - (claims.issuedAgo ?? 0));
  if (claims.sub !== null) jwt.setSubject(claims.sub ?? 'alice');
  if (claims.issuer !== null) jwt.setIssuer(claims.issuer ?? TEST_ISSUER);
  if (claims.expiresIn !== null) jwt.setExpirationTime(now + (claims.expiresIn ?? 3600));
  return jwt.sign(new TextEncoder().encode(secret));
}
