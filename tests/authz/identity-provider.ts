import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const ISSUER = 'https://idp.authz-matrix.test';
export const AUDIENCE = 'platform-api';
const KID = 'matrix-1';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface Claims {
  sub?: string;
  teams?: string[];
  groups?: string[];
  iss?: string;
  aud?: string;
  /** Seconds from now; null: no exp claim. */
  expiresIn?: number | null;
}

/**
 * A stand-in for the portal's identity provider: an RS256 key published as a JWKS over HTTP (as
 * the services fetch it in production), and a second key under the same key id, whose tokens
 * therefore carry a signature the JWKS does not verify.
 */
export class IdentityProvider {
  /** Every token signed so far: secrets the run's logs and bodies must never show (the secrets scan). */
  readonly issued: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly jwksUrl: string,
    private readonly key: PrivateKey,
    private readonly impostor: PrivateKey,
  ) {}

  /** The private parts of both signing keys (JWK members), for the secrets scan. */
  async privateKeyParts(): Promise<Array<{ label: string; value: string }>> {
    const parts: Array<{ label: string; value: string }> = [];
    for (const [name, key] of [
      ['signing key', this.key],
      ['impostor key', this.impostor],
    ] as const) {
      const jwk = await exportJWK(key);
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
        const value = jwk[member];
        if (value !== undefined) parts.push({ label: `identity provider ${name} (${member})`, value });
      }
    }
    return parts;
  }

  static async start(): Promise<IdentityProvider> {
    const [real, impostor] = await Promise.all([
      generateKeyPair('RS256', { extractable: true }),
      generateKeyPair('RS256', { extractable: true }),
    ]);
    const jwk: JWK = { ...(await exportJWK(real.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new IdentityProvider(
      server,
      `http://127.0.0.1:${port}/.well-known/jwks.json`,
      real.privateKey,
      impostor.privateKey,
    );
  }

  async sign(claims: Claims, signer: 'real' | 'impostor' = 'real'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ teams: claims.teams ?? [], groups: claims.groups ?? [] })
      .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
      .setSubject(claims.sub ?? 'someone')
      .setIssuer(claims.iss ?? ISSUER)
      .setAudience(claims.aud ?? AUDIENCE)
      .setIssuedAt(now);
    if (claims.expiresIn !== null) jwt.setExpirationTime(now + (claims.expiresIn ?? 3600));
    const token = await jwt.sign(signer === 'real' ? this.key : this.impostor);
    this.issued.push(token);
    return token;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
