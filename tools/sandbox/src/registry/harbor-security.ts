import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, type HarborAccounts, type Principal, type RegistryAction } from './harbor-accounts';
import type { RegistryTokens } from './registry-tokens';

/** What a request may do: Harbor's security context for it. */
export interface SecurityContext {
  authenticated: boolean;
  sysAdmin: boolean;
  can(project: string, action: RegistryAction): boolean;
}

/**
 * Harbor's security middleware (src/server/middleware/security): on `/v2` a Bearer token from its
 * token service grants what the token lists (v2_token.go, per project); otherwise basic
 * credentials of a robot or the admin; otherwise, or when any of these fail, the request is
 * anonymous. A token issued before its project was (re)created grants nothing.
 */
export function securityContext(
  req: IncomingMessage,
  accounts: HarborAccounts,
  tokens: RegistryTokens,
  path: string,
): SecurityContext {
  const header = req.headers.authorization ?? '';
  if (path.startsWith('/v2') && /^Bearer /i.test(header)) {
    const claims = tokens.verify(header.slice(7).trim());
    if (claims !== undefined) {
      const grants = new Map<string, Set<string>>();
      for (const access of claims.access) {
        if (access.type !== 'repository') continue;
        const project = access.name.split('/')[0] ?? '';
        const actions = access.actions.includes('*') ? ['pull', 'push', 'delete'] : access.actions;
        grants.set(project, new Set(actions));
      }
      return {
        authenticated: claims.sub !== '',
        sysAdmin: false,
        can: (project, action) => {
          const created = accounts.project(project)?.createdAt.getTime();
          if (created === undefined || claims.iat * 1000 + 60_000 < created) return false;
          return grants.get(project)?.has(action) === true;
        },
      };
    }
  }
  return principalContext(accounts, basicPrincipal(req, accounts));
}

/** The principal of the request's basic credentials (anonymous without or with wrong ones). */
export function basicPrincipal(req: IncomingMessage, accounts: HarborAccounts): Principal {
  const header = req.headers.authorization ?? '';
  if (!/^Basic /i.test(header)) return ANONYMOUS;
  const text = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return ANONYMOUS;
  return accounts.authenticate(text.slice(0, colon), text.slice(colon + 1));
}

export function principalContext(accounts: HarborAccounts, principal: Principal): SecurityContext {
  return {
    authenticated: principal.kind !== 'anonymous',
    sysAdmin: principal.kind === 'admin',
    can: (project, action) => accounts.can(principal, project, action),
  };
}

/** The name a principal is known by in tokens (`sub`). */
export function principalName(principal: Principal, accounts: HarborAccounts): string {
  switch (principal.kind) {
    case 'admin':
      return accounts.adminUsername;
    case 'robot':
      return principal.robot.name;
    case 'anonymous':
      return '';
  }
}
