import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HarborAccounts, Principal, RegistryAction } from './harbor-accounts';
import { basicPrincipal, principalName } from './harbor-security';
import {
  TOKEN_EXPIRATION_SECONDS,
  TOKEN_SERVICE,
  type RegistryTokens,
  type ResourceActions,
} from './registry-tokens';

const ACTIONS: RegistryAction[] = ['pull', 'push', 'delete'];

/**
 * Harbor's token service, `GET /service/token?service=harbor-registry&scope=...` with basic
 * credentials (goharbor/harbor src/core/service/token/{token,creator,authutils}.go):
 *
 * - `service` other than `harbor-registry`: 400 "Unable to handle service: X".
 * - No (or wrong) credentials and no scope: 401 with an empty body (a `docker login` failing).
 *   Wrong credentials WITH a scope are not refused: the request is anonymous and its token grants
 *   what anonymous may do (pull from public projects), so the refusal comes at the registry.
 * - Each `repository:<project>/<repo>:<actions>` scope is granted every action the principal has
 *   in that project, whatever it asked for; nothing for a project that does not exist.
 * - 200 `{"token","access_token":"","expires_in":1800,"issued_at"}`.
 */
export function serveToken(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  accounts: HarborAccounts,
  tokens: RegistryTokens,
): void {
  const service = query.get('service') ?? '';
  if (service !== TOKEN_SERVICE) {
    sendText(res, 400, `Unable to handle service: ${escapeHtml(service)}`);
    return;
  }
  const principal = basicPrincipal(req, accounts);
  const scopes = query
    .getAll('scope')
    .flatMap((s) => s.split(' '))
    .filter((s) => s !== '');
  if (principal.kind === 'anonymous' && scopes.length === 0) {
    sendText(res, 401, '');
    return;
  }
  const access = scopes.map((scope) => grant(parseScope(scope), principal, accounts));
  const { token, issuedAt } = tokens.issue(principalName(principal, accounts), access);
  const body = JSON.stringify({
    token,
    access_token: '',
    expires_in: TOKEN_EXPIRATION_SECONDS,
    issued_at: `${issuedAt.toISOString().slice(0, 19)}Z`,
  });
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** distribution's scope grammar as Harbor's GetResourceActions splits it. */
function parseScope(scope: string): ResourceActions {
  const items = scope.split(':');
  if (items.length === 1) return { type: items[0] ?? '', name: '', actions: [] };
  if (items.length === 2) return { type: items[0] ?? '', name: items[1] ?? '', actions: [] };
  const last = items[items.length - 1] ?? '';
  return {
    type: items[0] ?? '',
    name: items.slice(1, -1).join(':'),
    actions: last === '' ? [] : last.split(','),
  };
}

function grant(requested: ResourceActions, principal: Principal, accounts: HarborAccounts): ResourceActions {
  if (requested.type === 'registry') {
    const catalog = requested.name === 'catalog' && principal.kind === 'admin';
    return { ...requested, actions: catalog ? requested.actions : [] };
  }
  if (requested.type !== 'repository' || !requested.name.includes('/')) return { ...requested, actions: [] };
  const project = requested.name.split('/')[0] ?? '';
  return { ...requested, actions: ACTIONS.filter((action) => accounts.can(principal, project, action)) };
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
