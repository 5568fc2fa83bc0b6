import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { call, LOGIN, startGitServer, TOKEN_AUTH, type GitTestServer } from './git-test-server';
import { gitClient } from './git-test-kit';

/**
 * `GET /repos/{owner}/{repo}/commits` as Gitea answers it (routers/api/v1/repo/commits.go,
 * GetAllCommits): 409 for an empty repository, 404 when no commit touches `path`, newest first,
 * and with a path pages of 50 whatever `limit` asks (it is ignored with a path).
 */
describe('the sandbox git server: GET /repos/{owner}/{repo}/commits', () => {
  let git: GitTestServer;
  const api = (p: string) => `${git.url}/api/v1${p}`;

  beforeAll(async () => {
    git = await startGitServer();
    expect(
      (await call(api('/orgs/payments/repos'), 'POST', TOKEN_AUTH, { name: 'shop', private: true })).status,
    ).toBe(201);
  });
  afterAll(() => git.close());

  it('answers 409 for a repository with no commit yet', async () => {
    const res = await call(api('/repos/payments/shop/commits'), 'GET', TOKEN_AUTH);
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({ message: 'Git Repository is empty.', url: `${git.url}/api/swagger` });
  });

  it('lists the commits that touch a path, newest first; none is a 404; limit is ignored with a path', async () => {
    const client = gitClient();
    const origin = new URL(`${git.url}/payments/shop.git`);
    origin.username = LOGIN.username;
    origin.password = LOGIN.password;
    expect((await client.git(['clone', origin.toString(), 'work'])).code).toBe(0);
    const work = path.join(client.home, 'work');
    for (const [file, message] of [
      ['values-dev.yaml', 'first dev'],
      ['README.md', 'readme'],
      ['values-dev.yaml', 'second dev'],
    ] as const) {
      writeFileSync(path.join(work, file), `${message}\n`);
      await client.git(['add', '.'], work);
      await client.git(['commit', '-qm', message], work);
    }
    expect((await client.git(['push', 'origin', 'main'], work)).code).toBe(0);

    const dev = await call(
      api('/repos/payments/shop/commits?path=values-dev.yaml&limit=1'),
      'GET',
      TOKEN_AUTH,
    );
    expect(dev.status).toBe(200);
    const commits = dev.json() as Array<{ sha: string; commit: { message: string } }>;
    expect(commits.map((c) => c.commit.message)).toEqual(['second dev\n', 'first dev\n']);
    expect(dev.headers.get('x-total-count')).toBe('2');

    const none = await call(api('/repos/payments/shop/commits?path=values-prod.yaml'), 'GET', TOKEN_AUTH);
    expect(none.status).toBe(404);
    // Without a path, limit counts.
    const one = await call(api('/repos/payments/shop/commits?limit=1'), 'GET', TOKEN_AUTH);
    expect((one.json() as unknown[]).length).toBe(1);
    expect(one.headers.get('x-hasmore')).toBe('true');
  });
});
