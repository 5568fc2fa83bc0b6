import { UpstreamUnavailableError } from '@platform/errors';
import { startSandbox, type Sandbox } from '@platform/sandbox';
import { HttpGitServer } from '../src/git/http-git-server';
import { HttpTransport } from '../src/http/http-transport';

describe(HttpGitServer.name, () => {
  let sandbox: Sandbox;
  let git: HttpGitServer;

  beforeAll(async () => {
    sandbox = await startSandbox({});
    git = new HttpGitServer(
      new HttpTransport({ upstream: 'GIT', baseUrl: sandbox.urls.git, timeoutMs: 3000 }),
    );
    const created = await fetch(`${sandbox.urls.git}/api/v1/repos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'shop' }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => sandbox.stop());

  it('finds a repository by name, with its clone URL', async () => {
    expect(await git.find('shop')).toMatchObject({ name: 'shop', cloneUrl: `${sandbox.urls.git}/shop.git` });
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
