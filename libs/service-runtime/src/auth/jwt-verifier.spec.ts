import { UnauthorizedError } from '@platform/errors';
import { AuthConfig } from './auth-config';
import { JwtVerifier } from './jwt-verifier';
import { signTestToken, TEST_JWT_SECRET } from '../testing/test-token';

function verifier(): JwtVerifier {
  return new JwtVerifier(
    Object.assign(new AuthConfig(), {
      jwtSecret: TEST_JWT_SECRET,
      audience: 'platform-api',
      teamsClaim: 'teams',
      groupsClaim: 'groups',
      adminGroup: 'platform-admins',
    }),
  );
}

describe(JwtVerifier.name, () => {
  afterEach(() => jest.useRealTimers());

  it('remembers a verified token, and refuses it once it has expired', async () => {
    const jwt = verifier();
    const token = await signTestToken({ sub: 'alice', teams: ['payments'], expiresIn: 60 });
    const first = await jwt.verify(token);
    expect(first).toMatchObject({ id: 'alice', teams: ['payments'], admin: false });
    expect(await jwt.verify(token)).toBe(first);
    jest.useFakeTimers({ now: Date.now() + 61_000 });
    await expect(jwt.verify(token)).rejects.toThrow(
      new UnauthorizedError('INVALID_TOKEN', 'the token has expired; sign in again'),
    );
  });

  it('never takes a token with another signature for a remembered one', async () => {
    const jwt = verifier();
    const token = await signTestToken({ sub: 'alice' });
    await jwt.verify(token);
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    await expect(jwt.verify(forged)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
