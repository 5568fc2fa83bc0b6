import { randomBytes } from 'node:crypto';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** The audience of every token the development identity provider signs. */
export const TOKEN_AUDIENCE = 'platform-api';

export interface TokenRequest {
  sub: string;
  name?: string;
  teams: string[];
  groups?: string[];
  ttlSeconds?: number;
}

/** The claims of a sandbox token, as the services read them. */
export interface SandboxClaims extends JWTPayload {
  sub: string;
  name?: string;
  teams: string[];
  groups: string[];
}

/**
 * The development stand-in for the portal's identity provider: an RS256 key pair made once, on
 * first use (generating RSA keys costs CPU that a sandbox nobody signs in to should not spend),
 * published as a JWKS, signing tokens with the user's id, name, teams and groups.
 */
export class DevIdentity {
  private keyPair: Promise<{ privateKey: KeyPair['privateKey']; jwk: JWK }> | undefined;
  readonly kid = `sandbox-${randomBytes(6).toString('hex')}`;

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [(await this.keys()).jwk] };
  }

  async sign(request: TokenRequest, issuer: string): Promise<{ token: string; expiresAt: string }> {
    const { privateKey } = await this.keys();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (request.ttlSeconds ?? 3600);
    const token = await new SignJWT({
      ...(request.name !== undefined ? { name: request.name } : {}),
      teams: request.teams,
      groups: request.groups ?? [],
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setSubject(request.sub)
      .setIssuer(issuer)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(privateKey);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  private keys(): Promise<{ privateKey: KeyPair['privateKey']; jwk: JWK }> {
    this.keyPair ??= generateKeyPair('RS256', { extractable: true }).then(
      async ({ privateKey, publicKey }) => ({
        privateKey,
        jwk: { ...(await exportJWK(publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' },
      }),
    );
    return this.keyPair;
  }
}

/**
 * Verifies a token of the sandbox identity provider served at `adminUrl` against its JWKS
 * (signature, issuer, audience, expiry), as a service configured with that JWKS URL would.
 */
export async function verifySandboxToken(token: string, adminUrl: string): Promise<SandboxClaims> {
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', adminUrl));
  const { payload } = await jwtVerify(token, jwks, {
    issuer: adminUrl,
    audience: TOKEN_AUDIENCE,
    algorithms: ['RS256'],
  });
  return payload as SandboxClaims;
}
