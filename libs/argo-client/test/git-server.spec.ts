import { UpstreamUnavailableError } from '@platform/errors';
import { startSandbox, type Sandbox } from '@platform/sandbox';
import { HttpGitServer } from '../src/git/http-git-server';
import { HttpTransport } from '../src/http/http-transport';
import { BasicCredentials } from '../src/http/token-provider';

describe(HttpGitServer.name, () => {
  let sandbox: Sandbox;
  let git: HttpGitServer;

  const login = new BasicCredentials('platform', 'git-token');
  const client = (auth?: BasicCredentials): HttpGitServer =>
    new HttpGitServer(
      new HttpTransport({ upstream: 'GIT', baseUrl: sandbox.urls.git, auth, timeoutMs: 3000 }),
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ gitUsername: 'platform', gitPassword: 'git-token' });
    git = client(login);
    const created = await fetch(`${sandbox.urls.git}/api/v1/repos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${(await login.token()) ?? ''}` },
      body: JSON.stringify({ name: 'shop' }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => sandbox.stop());

  it('finds a repository by name, with its clone URL', async () => {
    expect(await git.find('shop')).toMatchObject({ name: 'shop', cloneUrl: `${sandbox.urls.git}/shop.git` });
  });

  it('reports a git server that refuses its credentials as unauthorized', async () => {
    await expect(client(new BasicCredentials('platform', 'wrong')).find('shop')).rejects.toMatchObject({
      code: 'GIT_UNAUTHORIZED',
    });
    await expect(client().find('shop')).rejects.toMatchObject({ code: 'GIT_UNAUTHORIZED' });
  });

  it('answers undefined for a repository that does not exist', async () => {
    expect(await git.find('no-such-repo')).toBeUndefined();
  });

  it('reports a git server that answers 503 as unavailable, with its message', async () => {
    sandbox.ctx.faults.set('git', { errorRate: 1, errorCode: 503 });
    try {
      await expect(git.find('shop')).rejects.toBeInstanceOf(UpstreamUnavailableError);
      await expect(git.find('shop')).rejects.toMatchObject({ code: 'GIT_UNAVAILABLE' });
    } finally {
      sandbox.ctx.faults.clear();
    }
  });
});
