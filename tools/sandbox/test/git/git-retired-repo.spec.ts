import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { call, LOGIN, startGitServer, TOKEN_AUTH, type GitTestServer } from './git-test-server';
import { gitClient, type GitClient } from './git-test-kit';

const ARCHIVED =
  'This repo is archived. You can view files and clone it, but cannot push or open issues/pull-requests.';

describe('the sandbox git server: git and a renamed, archived repository (retiring an app)', () => {
  let git: GitTestServer;
  let client: GitClient;
  const api = (p: string) => `${git.url}/api/v1${p}`;
  const signedIn = (repoPath: string) =>
    `${git.url.replace('http://', `http://${LOGIN.username}:${LOGIN.password}@`)}/${repoPath}`;
  const commit = async (work: string, file: string, text: string) => {
    writeFileSync(path.join(work, file), text);
    await client.git(['add', '.'], work);
    await client.git(['commit', '-m', file], work);
  };

  beforeAll(async () => {
    git = await startGitServer();
    client = gitClient();
    expect((await call(api('/orgs/payments/repos'), 'POST', TOKEN_AUTH, { name: 'shop' })).status).toBe(201);
    expect((await client.git(['clone', signedIn('payments/shop.git'), 'work'])).code).toBe(0);
    const work = path.join(client.home, 'work');
    await commit(work, 'README.md', 'v1\n');
    expect((await client.git(['push', 'origin', 'main'], work)).code).toBe(0);
    const retired = await call(api('/repos/payments/shop'), 'PATCH', TOKEN_AUTH, {
      name: 'shop-retired-20261206-194500',
      archived: true,
    });
    expect(retired.status).toBe(200);
  });
  afterAll(() => git.close());

  it('redirects git under the old name: 301 to the new name without .git, before any login', async () => {
    const res = await fetch(`${git.url}/payments/shop.git/info/refs?service=git-upload-pack`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(
      '/payments/shop-retired-20261206-194500/info/refs?service=git-upload-pack',
    );
  });

  it('clones through the old name (git follows the redirect of info/refs) and the new one', async () => {
    const other = gitClient();
    const old = await other.git(['clone', signedIn('payments/shop.git'), 'old']);
    expect(old.code).toBe(0);
    expect(old.out).toContain('warning: redirecting to');
    expect(readFileSync(path.join(other.home, 'old', 'README.md'), 'utf8')).toBe('v1\n');
    const renamed = await other.git(['clone', signedIn('payments/shop-retired-20261206-194500.git'), 'new']);
    expect(renamed.code).toBe(0);
    expect((await other.git(['fetch', 'origin'], path.join(other.home, 'new'))).code).toBe(0);
  });

  it('refuses a push to the archived repository: 403 and Gitea’s message, under either name', async () => {
    const res = await fetch(
      `${git.url}/payments/shop-retired-20261206-194500.git/info/refs?service=git-receive-pack`,
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('text/plain;charset=utf-8');
    expect(await res.text()).toBe(ARCHIVED);

    const work = path.join(client.home, 'work');
    await commit(work, 'more.txt', 'v2\n');
    const viaOld = await client.git(['push', 'origin', 'main'], work);
    expect(viaOld.code).not.toBe(0);
    expect(viaOld.out).toContain('The requested URL returned error: 403');
    await client.git(
      ['remote', 'set-url', 'origin', signedIn('payments/shop-retired-20261206-194500.git')],
      work,
    );
    const viaNew = await client.git(['push', 'origin', 'main'], work);
    expect(viaNew.code).not.toBe(0);
    expect(viaNew.out).toContain('The requested URL returned error: 403');
  });

  it('lets a new repository take the old name, which then clones and pushes as its own', async () => {
    expect((await call(api('/orgs/payments/repos'), 'POST', TOKEN_AUTH, { name: 'shop' })).status).toBe(201);
    const fresh = gitClient();
    const cloned = await fresh.git(['clone', signedIn('payments/shop.git'), 'fresh']);
    expect(cloned.code).toBe(0);
    expect(cloned.out).toContain('You appear to have cloned an empty repository.');
    const work = path.join(fresh.home, 'fresh');
    writeFileSync(path.join(work, 'NEW.md'), 'new app\n');
    await fresh.git(['add', '.'], work);
    await fresh.git(['commit', '-m', 'new app'], work);
    expect((await fresh.git(['push', 'origin', 'main'], work)).code).toBe(0);
    const retired = await call(api('/repos/payments/shop-retired-20261206-194500'), 'GET', TOKEN_AUTH);
    expect(retired.json()).toMatchObject({ archived: true, empty: false });
  });
});
