import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errors, jwtVerify, SignJWT } from 'jose';
import { GrpcCode, GrpcError } from '../grpc-gateway';

/** Cookie the Argo CD UI keeps the session token in. */
export const AUTH_COOKIE = 'argocd.token';

const TOKEN_TTL_SECONDS = 24 * 60 * 60;

/**
 * Argo CD's local-account sessions: `POST /api/v1/session` exchanges the admin credentials for an
 * HS256 JWT (`iss: argocd`, `sub: <user>:login`) that later calls present as a bearer token or in
 * the `argocd.token` cookie. The signing key lives as long as the server.
 */
export class ArgoCdSessions {
  private readonly key = new Uint8Array(randomBytes(32));

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  async login(body: unknown): Promise<{ token: string }> {
    const credentials = (body ?? {}) as { username?: unknown; password?: unknown };
    if (credentials.password === undefined || credentials.password === '') {
      throw new GrpcError(GrpcCode.Unauthenticated, 'Blank passwords are not allowed');
    }
    if (credentials.username !== this.username || credentials.password !== this.password) {
      throw new GrpcError(GrpcCode.Unauthenticated, 'Invalid username or password');
    }
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('argocd')
      .setSubject(`${this.username}:login`)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + TOKEN_TTL_SECONDS)
      .setJti(randomUUID())
      .sign(this.key);
    return { token };
  }

  /** The user name of the request's session, or Unauthenticated as the real server words it. */
  async authenticate(req: IncomingMessage): Promise<string> {
    const token = presentedToken(req);
    if (token === undefined) throw new GrpcError(GrpcCode.Unauthenticated, 'no session information');
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: 'argocd', algorithms: ['HS256'] });
      return (payload.sub ?? '').split(':')[0] ?? '';
    } catch (error) {
      throw new GrpcError(GrpcCode.Unauthenticated, `invalid session: ${describeJwtError(error)}`);
    }
  }
}

/** `getToken`: a bearer token counts only when it has three dot-separated parts; else the cookie. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ') === true) {
    const token = header.slice('Bearer '.length);
    if (token.split('.').length === 3) return token;
  }
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== AUTH_COOKIE) continue;
    const token = part.slice(eq + 1).trim();
    if (token.split('.').length === 3) return token;
  }
  return undefined;
}

/** golang-jwt v5's wording of the common failures. */
function describeJwtError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token has invalid claims: token is expired';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'token signature is invalid: signature is invalid';
  if (error instanceof errors.JWTClaimValidationFailed) return `token has invalid claims: ${error.message}`;
  return `token is malformed: ${error instanceof Error ? error.message : String(error)}`;
}
