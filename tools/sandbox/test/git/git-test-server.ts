import { createContext } from '../../src/core/create-context';
import type { SandboxConfig, SandboxContext } from '../../src/core/sandbox-context';
import { gitHandler, gitStore } from '../../src/git';
import { createTeamOrganization } from '../../src/sandbox';
import { serve } from '../../src/testing/serve';

/** The git user of these tests: a password and an access token. */
export const LOGIN = { username: 'platform', password: 'pw-platform', token: 'tok-platform' } as const;

export interface GitTestServer {
  ctx: SandboxContext;
  url: string;
  close(): Promise<void>;
}

/**
 * A sandbox git server on its own with {@link LOGIN} as its user, the team organization `payments`
 * (private, the user may create repositories) and `platform-templates` (public, owned by the site
 * administrator: the user is in none of its teams).
 */
export async function startGitServer(overrides: Partial<SandboxConfig> = {}): Promise<GitTestServer> {
  const ctx = createContext({
    gitUsername: LOGIN.username,
    gitPassword: LOGIN.password,
    gitToken: LOGIN.token,
    ...overrides,
  });
  const server = await serve(gitHandler(ctx));
  ctx.urls.git = server.url;
  createTeamOrganization(ctx, 'payments');
  const { orgs, accounts } = gitStore(ctx);
  orgs.create({ name: 'platform-templates', owner: accounts.admin.login, visibility: 'public' });
  return { ctx, url: server.url, close: () => server.close() };
}

export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export const TOKEN_AUTH = { authorization: `token ${LOGIN.token}` };

/** A JSON request to the server; the body and headers as given. */
export async function call(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}
