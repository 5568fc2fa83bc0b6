import { UpstreamUnavailableError } from '@platform/errors';
import { createTeamOrganization, gitStore, startSandbox, type Sandbox } from '@platform/sandbox';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gitServerFor } from '../src/git/git-server-for';
import type { UpstreamCall } from '../src/http/http-transport';
import { GiteaGitServer } from '../src/git/gitea-git-server';
import type { GitServer } from '../src/git/git-server';

const TOKEN = 'git-token';

describe(GiteaGitServer.name, () => {
  let sandbox: Sandbox;
  let git: GitServer;

  const client = (token?: string): GitServer =>
    gitServerFor({ provider: 'gitea', url: sandbox.urls.git, token, timeoutMs: 3000 });

  beforeAll(async () => {
    sandbox = await startSandbox({ gitUsername: 'platform', gitPassword: 'pw', gitToken: TOKEN });
    createTeamOrganization(sandbox.ctx, 'payments');
    git = client(TOKEN);
    const created = await fetch(`${sandbox.urls.git}/api/v1/orgs/payments/repos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `token ${TOKEN}` },
      body: JSON.stringify({ name: 'shop', private: true }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => sandbox.stop());

  it('finds a repository of a team organization, with its clone URL', async () => {
    expect(await git.findRepository('payments', 'shop')).toEqual({
      owner: 'payments',
      name: 'shop',
      fullName: 'payments/shop',
      cloneUrl: `${sandbox.urls.git}/payments/shop.git`,
      private: true,
      defaultBranch: 'main',
    });
  });

  it('answers undefined for a repository or organization that does not exist', async () => {
    expect(await git.findRepository('payments', 'no-such-repo')).toBeUndefined();
    expect(await git.findRepository('nobody', 'shop')).toBeUndefined();
    expect(await git.findOrganization('nobody')).toBeUndefined();
  });

  it('answers undefined for the former name of a renamed repository, which Gitea redirects', async () => {
    const renamed = await fetch(`${sandbox.urls.git}/api/v1/orgs/payments/repos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `token ${TOKEN}` },
      body: JSON.stringify({ name: 'cart', private: true }),
    });
    expect(renamed.status).toBe(201);
    const edited = await fetch(`${sandbox.urls.git}/api/v1/repos/payments/cart`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `token ${TOKEN}` },
      body: JSON.stringify({ name: 'cart-retired', archived: true }),
    });
    expect(edited.status).toBe(200);
    expect(await git.findRepository('payments', 'cart')).toBeUndefined();
    expect(await git.findRepository('payments', 'cart-retired')).toMatchObject({ name: 'cart-retired' });
  });

  it('finds an organization the account can see; a private one it is not in stays hidden', async () => {
    expect(await git.findOrganization('payments')).toEqual({ name: 'payments' });
    const { orgs, accounts } = gitStore(sandbox.ctx);
    orgs.create({ name: 'hidden', owner: accounts.admin.login, visibility: 'private' });
    expect(await git.findOrganization('hidden')).toBeUndefined();
    // Without a token Gitea shows no private repository.
    expect(await client().findRepository('payments', 'shop')).toBeUndefined();
  });

  it('reports a token the server refuses as unauthorized, with its message', async () => {
    const stranger = client('wrong');
    await expect(stranger.findRepository('payments', 'shop')).rejects.toMatchObject({
      code: 'GIT_UNAUTHORIZED',
      message: 'invalid username, password or token',
    });
    await expect(stranger.health()).rejects.toMatchObject({ code: 'GIT_UNAUTHORIZED' });
  });

  it('reports a git server that answers 503 as unavailable', async () => {
    sandbox.ctx.faults.set('git', { errorRate: 1, errorCode: 503 });
    try {
      await expect(git.findRepository('payments', 'shop')).rejects.toBeInstanceOf(UpstreamUnavailableError);
      await expect(git.health()).rejects.toMatchObject({ code: 'GIT_UNAVAILABLE' });
    } finally {
      sandbox.ctx.faults.clear();
    }
  });
});

describe(gitServerFor.name, () => {
  /** A server that records what it was asked and answers 404, as both APIs do for an unknown name. */
  async function recorder(): Promise<{ url: string; seen: http.IncomingMessage[]; close(): Promise<void> }> {
    const seen: http.IncomingMessage[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"404 Not found"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      seen,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  it.each([
    [
      'gitea' as const,
      '/git/api/v1/repos/payments/shop',
      '/git/api/v1/orgs/payments',
      { authorization: 'token t0k' },
    ],
    [
      'gitlab' as const,
      '/git/api/v4/projects/payments%2Fshop',
      '/git/api/v4/groups/payments',
      { 'private-token': 't0k' },
    ],
  ])(
    'asks %s its own API under the server’s sub-path, with its token header',
    async (provider, repoPath, orgPath, auth) => {
      const server = await recorder();
      try {
        const git = gitServerFor({ provider, url: `${server.url}/git`, token: 't0k' });
        expect(await git.findRepository('payments', 'shop')).toBeUndefined();
        expect(await git.findOrganization('payments')).toBeUndefined();
        expect(server.seen.map((r) => r.url)).toEqual([repoPath, orgPath]);
        expect(server.seen[0]?.headers).toMatchObject(auth);
      } finally {
        await server.close();
      }
    },
  );

  it("ends a call its request's signal aborts at once, as cancelled and without retries", async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const request = new AbortController();
      const calls: UpstreamCall[] = [];
      const git = gitServerFor({
        provider: 'gitea',
        url: `http://127.0.0.1:${port}`,
        token: 't0k',
        timeoutMs: 10_000,
        maxRetries: 2,
        contextSignal: () => request.signal,
        onCall: (call) => calls.push(call),
      });
      const started = Date.now();
      setTimeout(() => request.abort(), 100);
      await expect(git.findRepository('payments', 'shop')).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(calls.map((call) => [call.upstream, call.outcome])).toEqual([['GIT', 'cancelled']]);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
