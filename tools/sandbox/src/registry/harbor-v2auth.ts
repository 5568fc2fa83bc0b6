import type { IncomingMessage } from 'node:http';
import type { HarborAccounts, RegistryAction } from './harbor-accounts';
import type { SecurityContext } from './harbor-security';
import type { RegistryRoute } from './registry-routes';
import { TOKEN_SERVICE } from './registry-tokens';

/** What a `/v2` request needs (Harbor's v2auth `accessList`). */
export type AccessNeed =
  | { target: 'login' }
  | { target: 'catalog' }
  | { target: 'repository'; name: string; action: RegistryAction };

/** A refusal: the `WWW-Authenticate` challenge and the 401 body's message. */
export interface Refusal {
  challenge: string;
  message: string;
}

const ACTIONS: Readonly<Record<string, RegistryAction>> = {
  POST: 'push',
  PATCH: 'push',
  PUT: 'push',
  GET: 'pull',
  HEAD: 'pull',
  DELETE: 'delete',
};

export function accessNeeds(
  route: RegistryRoute | undefined,
  method: string,
  query: URLSearchParams,
): AccessNeed[] {
  if (route === undefined) return [];
  if (route.kind === 'base') return [{ target: 'login' }];
  if (route.kind === 'catalog') return [{ target: 'catalog' }];
  const action = ACTIONS[method];
  if (action === undefined) return [];
  const needs: AccessNeed[] = [{ target: 'repository', name: route.name, action }];
  const from = query.get('from') ?? '';
  if (method === 'POST' && route.kind === 'upload' && from !== '' && (query.get('mount') ?? '') !== '') {
    needs.push({ target: 'repository', name: from, action: 'pull' });
  }
  return needs;
}

/**
 * Harbor's v2auth middleware (src/server/middleware/v2auth/auth.go): a request without an
 * Authorization header is sent to the token service (`Bearer realm=...,service="harbor-registry",
 * scope=...`); one with a header that is not enough is answered `Basic realm="harbor"`. A GET or
 * HEAD of a repository without any header is refused even for a public project, so that CLIs
 * authenticate. A repository of a project that does not exist is refused without a challenge.
 * Messages are Harbor's, which prints the cause after the message: "X: X".
 */
export function checkAccess(
  req: IncomingMessage,
  path: string,
  security: SecurityContext,
  accounts: HarborAccounts,
  needs: AccessNeed[],
  realm: string,
): Refusal | undefined {
  const refuse = (why: string): Refusal => ({
    challenge: challenge(req, path, needs, realm),
    message: `${why}: ${why}`,
  });
  if (needs.length === 0) {
    const why = `un-recognized request: ${req.method ?? ''} ${path}`;
    return { challenge: '', message: `${why}: ${why}` };
  }
  const hasHeader = (req.headers.authorization ?? '') !== '';
  for (const need of needs) {
    if (need.target === 'login' && !security.authenticated) return refuse('unauthorized');
    if (need.target === 'catalog' && !security.sysAdmin) return refuse('unauthorized to list catalog');
    if (need.target !== 'repository') continue;
    if (!hasHeader && (req.method === 'HEAD' || req.method === 'GET')) {
      return refuse('authorize header needed to send HEAD to repository');
    }
    const project = need.name.split('/')[0] ?? '';
    if (accounts.project(project) === undefined) {
      const why = `project ${project} not found`;
      return { challenge: '', message: `${why}: ${why}` };
    }
    if (!security.can(project, need.action)) {
      return refuse(`unauthorized to access repository: ${need.name}, action: ${need.action}`);
    }
  }
  return undefined;
}

function challenge(req: IncomingMessage, path: string, needs: AccessNeed[], realm: string): string {
  if ((req.headers.authorization ?? '') !== '' || path === '/v2/_catalog') return 'Basic realm="harbor"';
  const scope = needs
    .flatMap((n) => (n.target === 'repository' ? [`repository:${n.name}:${scopeActions(n.action)}`] : []))
    .join(' ');
  const base = `Bearer realm="${realm}",service="${TOKEN_SERVICE}"`;
  return scope === '' ? base : `${base},scope="${scope}"`;
}

function scopeActions(action: RegistryAction): string {
  return action === 'push' ? 'pull,push' : action;
}
