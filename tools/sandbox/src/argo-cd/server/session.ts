import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import bcrypt from 'bcryptjs';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import type { AccountCapability } from './argocd-accounts';
import type { ArgoCdSettings } from './argocd-settings';
import type { RbacClaims } from './rbac-enforcer';

/** Cookie the Argo CD UI keeps the session token in. */
export const AUTH_COOKIE = 'argocd.token';

/** `users.session.duration` default: 24 h. */
const SESSION_SECONDS = 24 * 60 * 60;
const MAX_USERNAME_BYTES = 32;
const INVALID_LOGIN = 'Invalid username or password';

/** Who is calling: the account name and the claims RBAC reads. */
export interface ArgoCdCaller {
  user: string;
  claims: RbacClaims;
}

/**
 * Argo CD's local-account sessions (`server/session`, `util/session/sessionmanager.go`):
 * `POST /api/v1/session` checks the username and password against the accounts of argocd-cm /
 * argocd-secret (bcrypt), the account's `enabled` and `login` capability, and returns an HS256 JWT
 * signed with `server.secretkey` (`iss: argocd`, `sub: <account>:login`, `jti`). A presented
 * token (bearer or `argocd.token` cookie) is verified the same way on every call: the account
 * must still exist, be enabled and have the token's capability; an API key's id must still be
 * listed for the account; a password changed after the token was issued voids it.
 */
export class ArgoCdSessions {
  constructor(private readonly settings: ArgoCdSettings) {}

  async login(body: unknown): Promise<{ token: string }> {
    const request = (body ?? {}) as { username?: unknown; password?: unknown; token?: unknown };
    if (typeof request.token === 'string' && request.token !== '') {
      throw new GrpcError(
        GrpcCode.Unauthenticated,
        'token-based session creation no longer supported. please upgrade argocd cli to v0.7+',
      );
    }
    const username = typeof request.username === 'string' ? request.username : '';
    const password = typeof request.password === 'string' ? request.password : '';
    if (username === '' || password === '') {
      throw new GrpcError(GrpcCode.Unauthenticated, 'no credentials supplied');
    }
    if (Buffer.byteLength(username) > MAX_USERNAME_BYTES) {
      throw new GrpcError(GrpcCode.InvalidArgument, `Username is too long (${MAX_USERNAME_BYTES} bytes max)`);
    }
    const account = this.settings.account(username);
    if (account === undefined || account.passwordHash === '') {
      throw new GrpcError(GrpcCode.Unauthenticated, INVALID_LOGIN);
    }
    if (!(await bcrypt.compare(password, account.passwordHash))) {
      throw new GrpcError(GrpcCode.Unauthenticated, INVALID_LOGIN);
    }
    if (!account.enabled) throw new GrpcError(GrpcCode.Unauthenticated, `Account ${username} is disabled`);
    if (!account.capabilities.includes('login')) {
      throw new GrpcError(GrpcCode.Unauthenticated, `Account ${username} does not have login capability`);
    }
    return { token: await this.sign(`${username}:login`, SESSION_SECONDS, randomUUID()) };
  }

  /** `SessionManager.Create`: an HS256 token for the subject; no expiry when `seconds` is 0. */
  async sign(subject: string, seconds: number, id: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('argocd')
      .setSubject(subject)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setJti(id);
    if (seconds > 0) jwt.setExpirationTime(now + seconds);
    return jwt.sign(this.settings.signingKey());
  }

  /** The caller of a request, or Unauthenticated as the real server words it. */
  async authenticate(req: IncomingMessage): Promise<ArgoCdCaller> {
    const token = presentedToken(req);
    if (token === undefined) throw new GrpcError(GrpcCode.Unauthenticated, 'no session information');
    try {
      return this.accountCaller(await this.verify(token));
    } catch (error) {
      if (error instanceof GrpcError && error.code === GrpcCode.Internal) throw error;
      throw new GrpcError(GrpcCode.Unauthenticated, `invalid session: ${describe(error)}`);
    }
  }

  private async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.settings.signingKey(), { algorithms: ['HS256'] });
    // Tokens of other issuers would go to the SSO provider, which the sandbox does not have.
    if (payload.iss !== 'argocd') throw new SessionError('SSO is not configured');
    return payload;
  }

  /** `SessionManager.Parse` after the signature: the account checks. */
  private accountCaller(payload: JWTPayload): ArgoCdCaller {
    const [name = '', suffix] = (payload.sub ?? '').split(':');
    const capability: AccountCapability = suffix === 'login' ? 'login' : 'apiKey';
    const account = this.settings.account(name);
    if (account === undefined) {
      throw new SessionError(`rpc error: code = NotFound desc = account '${name}' does not exist`);
    }
    if (!account.enabled) throw new SessionError(`account ${name} is disabled`);
    if (!account.capabilities.includes(capability)) {
      throw new SessionError(`account ${name} does not have '${capability}' capability`);
    }
    const id = typeof payload.jti === 'string' ? payload.jti : '';
    if (id === '') {
      throw new SessionError('token does not have a unique identifier (jti claim) and cannot be validated');
    }
    if (capability === 'apiKey' && !account.tokens.some((t) => t.id === id)) {
      throw new SessionError(`account ${name} does not have token with id ${id}`);
    }
    const iat = typeof payload.iat === 'number' ? payload.iat : 0;
    if (account.passwordMtime !== undefined && iat * 1000 < account.passwordMtime.getTime()) {
      throw new SessionError('account password has changed since token issued');
    }
    return { user: name, claims: { sub: name, iat, raw: { ...payload, sub: name } } };
  }
}

class SessionError extends Error {}

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

/** golang-jwt v5's wording of the common failures; the account checks' own messages. */
function describe(error: unknown): string {
  if (error instanceof SessionError) return error.message;
  if (error instanceof errors.JWTExpired) return 'token has invalid claims: token is expired';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'token signature is invalid: signature is invalid';
  if (error instanceof errors.JWTClaimValidationFailed) return `token has invalid claims: ${error.message}`;
  return `token is malformed: ${error instanceof Error ? error.message : String(error)}`;
}
