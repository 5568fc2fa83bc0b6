import type { IncomingMessage } from 'node:http';
import type { GitAccounts, GitUser } from './git-accounts';

/** Who a request authenticates as: nobody, a user, or credentials the server refuses. */
export type GitCaller = { kind: 'anonymous' } | { kind: 'user'; user: GitUser } | { kind: 'refused' };

/**
 * Gitea's authentication of API and git requests (go-gitea/gitea `services/auth/oauth2.go`,
 * `basic.go`, `group.go`, `modules/auth/httpauth/httpauth.go`):
 *
 * - `Authorization: token <t>` or `Bearer <t>` (scheme case-insensitive): an access token.
 * - `Authorization: Basic` with user + password, user + token (the password field is tried as a
 *   token first, whatever the user name), or the token as the user name with an empty password
 *   or `x-oauth-basic`.
 * - A header that does not parse (not exactly two fields, another scheme) is ignored: anonymous.
 * - Credentials that match nothing are refused: the API answers 401 "invalid username, password
 *   or token", git answers 401 "Failed to authenticate user".
 */
export function authenticate(req: IncomingMessage, accounts: GitAccounts): GitCaller {
  const header = req.headers.authorization;
  if (header === undefined || header === '') return { kind: 'anonymous' };
  const parts = header.trim().split(/\s+/);
  if (parts.length !== 2) return { kind: 'anonymous' };
  const [scheme = '', value = ''] = parts;
  switch (scheme.toLowerCase()) {
    case 'token':
    case 'bearer':
      return known(accounts.byToken(value));
    case 'basic':
      return basic(value, accounts);
    default:
      return { kind: 'anonymous' };
  }
}

function basic(encoded: string, accounts: GitAccounts): GitCaller {
  const text = decodeBase64(encoded);
  const colon = text?.indexOf(':') ?? -1;
  if (text === undefined || colon < 0) return { kind: 'anonymous' };
  const login = text.slice(0, colon);
  const password = text.slice(colon + 1);
  const usernameIsToken = password === '' || password === 'x-oauth-basic';
  const byToken = accounts.byToken(usernameIsToken ? login : password);
  if (byToken !== undefined) return { kind: 'user', user: byToken };
  return known(accounts.signIn(login, password));
}

function known(user: GitUser | undefined): GitCaller {
  return user === undefined ? { kind: 'refused' } : { kind: 'user', user };
}

/** Go's base64.StdEncoding: padding required, nothing else allowed. */
function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  return Buffer.from(value, 'base64').toString('utf8');
}
