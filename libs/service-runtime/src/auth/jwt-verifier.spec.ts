import { UnauthorizedError } from '@platform/errors';
import { SignJWT } from 'jose';
import { AuthConfig } from './auth-config';
import { JwtVerifier } from './jwt-verifier';
import { signTestToken, TEST_ISSUER, TEST_JWT_SECRET } from '../testing/test-token';

function verifier(overrides: Partial<AuthConfig> = {}, warnings: string[] = []): JwtVerifier {
  return new JwtVerifier(
    Object.assign(new AuthConfig(), {
      jwtSecret: TEST_JWT_SECRET,
      issuer: TEST_ISSUER,
      audience: 'platform-api',
      algorithms: ['HS256'],
      teamsClaim: 'teams',
      groupsClaim: 'groups',
      adminGroup: 'platform-admins',
      ...overrides,
    }),
    { warn: (message: string) => warnings.push(message) },
  );
}

const refusal = (message: string): UnauthorizedError => new UnauthorizedError('INVALID_TOKEN', message);

describe(JwtVerifier.name, () => {
  afterEach(() => jest.useRealTimers());

  it('remembers a verified token, and refuses it once it has expired', async () => {
    const jwt = verifier();
    const token = await signTestToken({ sub: 'alice', teams: ['payments'], expiresIn: 60 });
    const first = await jwt.verify(token);
    expect(first).toMatchObject({ id: 'alice', teams: ['payments'], admin: false });
    expect(await jwt.verify(token)).toBe(first);
    jest.useFakeTimers({ now: Date.now() + 61_000 });
    await expect(jwt.verify(token)).rejects.toThrow(refusal('the token has expired; sign in again'));
  });

  it('never takes a token with another signature for a remembered one', async () => {
    const jwt = verifier();
    const token = await signTestToken({ sub: 'alice' });
    await jwt.verify(token);
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    await expect(jwt.verify(forged)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it.each([
    ['without exp', { expiresIn: null }, 'the token has no exp claim; only tokens that expire are accepted'],
    ['without sub', { sub: null }, 'the token has no sub claim'],
    ['without iss', { issuer: null }, 'the token has no iss claim'],
    ['of another issuer', { issuer: 'https://evil.example' }, "the token's iss claim is not accepted"],
  ])('refuses a token %s', async (_label, claims, message) => {
    await expect(verifier().verify(await signTestToken(claims))).rejects.toThrow(refusal(message));
  });

  it('checks no issuer when none is configured (development)', async () => {
    const principal = await verifier({ issuer: undefined }).verify(await signTestToken({ issuer: null }));
    expect(principal.id).toBe('alice');
  });

  it('refuses an algorithm outside the allow-list', async () => {
    const token = await new SignJWT({ teams: [] })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('alice')
      .setIssuer(TEST_ISSUER)
      .setAudience('platform-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    await expect(verifier().verify(token)).rejects.toThrow(
      refusal('the token is signed with an algorithm that is not accepted'),
    );
    expect((await verifier({ algorithms: ['HS256', 'HS512'] }).verify(token)).id).toBe('alice');
  });

  it('refuses a token issued longer ago than the maximum age, and ends its streams by then', async () => {
    const jwt = verifier({ maxTokenAgeSeconds: 3600 });
    await expect(jwt.verify(await signTestToken({ issuedAgo: 3601, expiresIn: 600 }))).rejects.toThrow(
      refusal('the token was issued too long ago; sign in again'),
    );
    const young = await jwt.verify(await signTestToken({ issuedAgo: 3000, expiresIn: 3600 }));
    const issuedAt = Math.floor(Date.now() / 1000) - 3000;
    expect(young.expiresAt).toBe((issuedAt + 3600) * 1000);
  });

  it.each([
    [['*'], []],
    [['a,b'], []],
    [['-'], []],
    [['team a'], []],
    [['zespół', 'płatności'], []],
    [
      ['payments', '*', 'content'],
      ['payments', 'content'],
    ],
  ])('reads teams %j as %j, and logs each refused value once', async (teams, expected) => {
    const warnings: string[] = [];
    const jwt = verifier({}, warnings);
    expect((await jwt.verify(await signTestToken({ sub: 'a', teams }))).teams).toEqual(expected);
    expect((await jwt.verify(await signTestToken({ sub: 'b', teams }))).teams).toEqual(expected);
    expect(warnings).toHaveLength(teams.length - expected.length);
  });
});
