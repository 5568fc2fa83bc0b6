import { ConfigValidationError } from './config-validation.error';
import { loadEnv } from './load-config';
import { ServiceEnv, toRuntimeConfig } from './service-env';

class ExampleEnv extends ServiceEnv {
  override PORT: number = 3001;
  override ROUTE_PREFIX: string = '/example/v1';
}

const JWKS = 'https://idp.example.com/.well-known/jwks.json';
const SECRET = 'a-development-secret-of-32-characters!';

function problems(env: Record<string, string>): Record<string, string[]> {
  try {
    loadEnv(ExampleEnv, env);
    return {};
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return Object.fromEntries(error.problems.map((p) => [p.key, p.problems]));
  }
}

describe('AUTH_* environment', () => {
  it('requires AUTH_ISSUER unless NODE_ENV=development', () => {
    expect(problems({ AUTH_JWKS_URL: JWKS })).toEqual({
      AUTH_ISSUER: [
        "AUTH_ISSUER is required: the `iss` claim of your identity provider's tokens (only NODE_ENV=development may leave it unset)",
      ],
    });
    expect(problems({ AUTH_JWKS_URL: JWKS, NODE_ENV: 'production' })).toHaveProperty('AUTH_ISSUER');
    expect(problems({ AUTH_JWKS_URL: JWKS, NODE_ENV: 'test' })).toHaveProperty('AUTH_ISSUER');
    expect(problems({ AUTH_JWKS_URL: JWKS, NODE_ENV: 'development' })).toEqual({});
    expect(problems({ AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'https://idp.example.com' })).toEqual({});
  });

  it('refuses AUTH_JWT_SECRET when NODE_ENV=production', () => {
    expect(problems({ AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: 'i', NODE_ENV: 'production' })).toEqual({
      AUTH_JWT_SECRET: [
        'AUTH_JWT_SECRET is for development only and is refused with NODE_ENV=production: verify tokens against AUTH_JWKS_URL',
      ],
    });
    expect(problems({ AUTH_JWT_SECRET: SECRET, NODE_ENV: 'development' })).toEqual({});
  });

  it('defaults the algorithms to the asymmetric ones with a JWKS and to HS256 with the secret', () => {
    const jwks = toRuntimeConfig('x', loadEnv(ExampleEnv, { AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'i' }));
    expect(jwks.auth.algorithms).toEqual([
      'RS256',
      'RS384',
      'RS512',
      'PS256',
      'PS384',
      'PS512',
      'ES256',
      'ES384',
      'ES512',
      'EdDSA',
    ]);
    const secret = toRuntimeConfig('x', loadEnv(ExampleEnv, { AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: 'i' }));
    expect(secret.auth.algorithms).toEqual(['HS256']);
  });

  it('takes AUTH_ALGORITHMS, never an HMAC algorithm with a JWKS nor an asymmetric one with the secret', () => {
    const config = toRuntimeConfig(
      'x',
      loadEnv(ExampleEnv, { AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'i', AUTH_ALGORITHMS: 'ES256, EdDSA' }),
    );
    expect(config.auth.algorithms).toEqual(['ES256', 'EdDSA']);
    expect(problems({ AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'i', AUTH_ALGORITHMS: 'RS256,HS256,none' })).toEqual({
      AUTH_ALGORITHMS: [
        'AUTH_ALGORITHMS may only name asymmetric algorithms with AUTH_JWKS_URL (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA); not HS256, none',
      ],
    });
    expect(problems({ AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: 'i', AUTH_ALGORITHMS: 'RS256' })).toEqual({
      AUTH_ALGORITHMS: [
        'AUTH_ALGORITHMS may only name HMAC algorithms with AUTH_JWT_SECRET (HS256, HS384, HS512); not RS256',
      ],
    });
  });

  it('reads AUTH_MAX_TOKEN_AGE as a duration', () => {
    const read = (value: string): number | undefined =>
      toRuntimeConfig(
        'x',
        loadEnv(ExampleEnv, { AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'i', AUTH_MAX_TOKEN_AGE: value }),
      ).auth.maxTokenAgeSeconds;
    expect(read('12h')).toBe(43_200);
    expect(read('90m')).toBe(5400);
    expect(read('7d')).toBe(604_800);
    expect(problems({ AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'i', AUTH_MAX_TOKEN_AGE: '12 hours' })).toEqual({
      AUTH_MAX_TOKEN_AGE: [
        'AUTH_MAX_TOKEN_AGE must be a duration: a whole number and s, m, h or d (e.g. 90m, 12h, 7d)',
      ],
    });
  });

  it('refuses credentials inside AUTH_JWKS_URL', () => {
    expect(
      problems({ AUTH_JWKS_URL: 'https://user:pw@idp.example.com/jwks.json', AUTH_ISSUER: 'i' }),
    ).toEqual({
      AUTH_JWKS_URL: [
        'AUTH_JWKS_URL must not carry credentials (user:password@); set them in their own keys',
      ],
    });
  });
});

describe('TRUSTED_PROXIES', () => {
  it('takes addresses and CIDR ranges, and nothing else', () => {
    const read = (value: string): readonly string[] =>
      toRuntimeConfig(
        'x',
        loadEnv(ExampleEnv, { AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'i', TRUSTED_PROXIES: value }),
      ).trustedProxies;
    expect(read('10.0.0.0/8, 192.168.1.5,fd00::/8')).toEqual(['10.0.0.0/8', '192.168.1.5', 'fd00::/8']);
    for (const bad of ['*', 'true', '10.0.0.0/33', 'ingress.local', '10.0.0.1/8/1']) {
      expect(problems({ AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'i', TRUSTED_PROXIES: bad })).toEqual({
        TRUSTED_PROXIES: [
          'TRUSTED_PROXIES must be IP addresses or CIDR ranges, comma-separated, e.g. 10.0.0.0/8,192.168.1.5',
        ],
      });
    }
    expect(
      toRuntimeConfig('x', loadEnv(ExampleEnv, { AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'i' })).trustedProxies,
    ).toEqual([]);
  });
});
