import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { seedTemplateRepos } from '../../src/git';
import { call, LOGIN, startGitServer, TOKEN_AUTH, type GitTestServer } from './git-test-server';
import { gitClient } from './git-test-kit';

describe('the sandbox git server: git over smart HTTP, as Gitea serves it', () => {
  let git: GitTestServer;
  /** A URL of the server with a login in it. */
  const withLogin = (user: string, password: string, repoPath: string) =>
    `${git.url.replace('http://', `http://${user}:${password}@`)}/${repoPath}`;
  const signedIn = (repoPath: string) => withLogin(LOGIN.username, LOGIN.password, repoPath);

  beforeAll(async () => {
    git = await startGitServer();
    for (const [name, isPrivate] of [
      ['shop', true],
      ['large', true],
      ['gzipped', true],
    ] as const) {
      const res = await call(`${git.url}/api/v1/orgs/payments/repos`, 'POST', TOKEN_AUTH, {
        name,
        private: isPrivate,
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => git.close());
  afterEach(() => git.ctx.faults.clear());

  it('refuses to clone a private repository without credentials: 401 with Basic realm="Gitea"', async () => {
    const res = await fetch(`${git.url}/payments/shop.git/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="Gitea"');
    expect(await res.text()).toBe('Unauthorized\n');
    const clone = await gitClient().git(['clone', `${git.url}/payments/shop.git`, 'x']);
    expect(clone.code).not.toBe(0);
    expect(clone.out).toContain(`could not read Username for '${git.url}': terminal prompts disabled`);
  });

  it('clones, pushes and fetches a private repository with the password or the token', async () => {
    const client = gitClient();
    expect((await client.git(['clone', signedIn('payments/shop.git'), 'work'])).code).toBe(0);
    const work = path.join(client.home, 'work');
    writeFileSync(path.join(work, 'README.md'), 'hello\n');
    await client.git(['add', '.'], work);
    await client.git(['commit', '-m', 'first'], work);
    expect(await client.git(['push', 'origin', 'main'], work)).toMatchObject({ code: 0 });

    const other = gitClient();
    const byToken = withLogin('anyone', LOGIN.token, 'payments/shop');
    expect((await other.git(['clone', byToken, 'copy'])).code).toBe(0);
    expect(readFileSync(path.join(other.home, 'copy', 'README.md'), 'utf8')).toBe('hello\n');
    const info = await call(`${git.url}/api/v1/repos/payments/shop`, 'GET', TOKEN_AUTH);
    expect(info.json()).toMatchObject({ empty: false });
  });

  it('says "Authentication failed" for a wrong password', async () => {
    const clone = await gitClient().git([
      'clone',
      withLogin(LOGIN.username, 'nope', 'payments/shop.git'),
      'y',
    ]);
    expect(clone.code).not.toBe(0);
    expect(clone.out).toContain('Authentication failed');
  });

  it('does not give away whether a repository exists: 401 anonymously, 404 signed in', async () => {
    const anonymous = await fetch(`${git.url}/payments/missing.git/info/refs?service=git-upload-pack`);
    expect(anonymous.status).toBe(401);
    const clone = await gitClient().git(['clone', signedIn('payments/missing.git'), 'm']);
    expect(clone.code).not.toBe(0);
    expect(clone.out).toContain('not found');
    const unknownOwner = await fetch(`${git.url}/nobody/shop.git/info/refs?service=git-upload-pack`);
    expect(unknownOwner.status).toBe(404);
    // A user's namespace exists: anonymously its (missing) repositories are 401 too.
    const userRepo = await fetch(`${git.url}/${LOGIN.username}/shop.git/info/refs?service=git-upload-pack`);
    expect(userRepo.status).toBe(401);
  });

  it('refuses a push that would create a repository (push-to-create is off for organizations)', async () => {
    const client = gitClient();
    const work = path.join(client.home, 'new');
    mkdirSync(work);
    await client.git(['init', '-q', '-b', 'main'], work);
    writeFileSync(path.join(work, 'a'), 'a\n');
    await client.git(['add', '.'], work);
    await client.git(['commit', '-q', '-m', 'a'], work);
    const push = await client.git(['push', signedIn('payments/not-created.git'), 'main'], work);
    expect(push.code).not.toBe(0);
    expect(push.out).toContain('403');
  });

  describe('public repositories (the templates)', () => {
    let templates: string;
    beforeAll(async () => {
      templates = mkdtempSync(path.join(os.tmpdir(), 'templates-'));
      mkdirSync(path.join(templates, 'node-service', 'src'), { recursive: true });
      writeFileSync(path.join(templates, 'node-service', 'src', 'index.js'), 'console.log(1)\n');
      mkdirSync(path.join(templates, 'static-site'));
      writeFileSync(path.join(templates, 'static-site', 'index.html'), '<h1>hi</h1>\n');
      writeFileSync(path.join(templates, 'not-a-folder.txt'), 'x');
      expect(await seedTemplateRepos(git.ctx, templates)).toEqual(['node-service', 'static-site']);
    });

    it('are seeded public into platform-templates, one commit each, idempotently', async () => {
      const res = await call(`${git.url}/api/v1/repos/platform-templates/node-service`, 'GET');
      expect(res.json()).toMatchObject({ private: false, owner: { login: 'platform-templates' } });
      const client = gitClient();
      expect((await client.git(['clone', `${git.url}/platform-templates/node-service.git`, 'ns'])).code).toBe(
        0,
      );
      const ns = path.join(client.home, 'ns');
      expect(readFileSync(path.join(ns, 'src', 'index.js'), 'utf8')).toBe('console.log(1)\n');
      const log = await client.git(['log', '--format=%an <%ae>|%s', 'main'], ns);
      expect(log.out.trim()).toBe('sandbox <sandbox@sandbox.local>|Initial commit of template node-service');
      const first = (await client.git(['rev-parse', 'HEAD'], ns)).out;
      expect(await seedTemplateRepos(git.ctx, templates)).toEqual(['node-service', 'static-site']);
      await client.git(['fetch'], ns);
      expect((await client.git(['rev-parse', 'origin/main'], ns)).out).toBe(first);
    });

    it('may be cloned by anyone but changed by none but their teams', async () => {
      const client = gitClient();
      await client.git(['clone', '-q', `${git.url}/platform-templates/static-site.git`, 's']);
      const work = path.join(client.home, 's');
      writeFileSync(path.join(work, 'index.html'), 'changed\n');
      await client.git(['commit', '-qam', 'change'], work);
      const anonymous = await client.git(['push', 'origin', 'main'], work);
      expect(anonymous.out).toContain('could not read Username');
      const member = await client.git(['push', signedIn('platform-templates/static-site.git'), 'main'], work);
      expect(member.code).not.toBe(0);
      expect(member.out).toContain('not found');
    });
  });

  it('accepts a chunked push larger than the client post buffer', async () => {
    const client = gitClient();
    await client.git(['clone', signedIn('payments/large.git'), 'l']);
    const work = path.join(client.home, 'l');
    writeFileSync(path.join(work, 'blob.bin'), randomBytes(3 * 1024 * 1024));
    await client.git(['add', '.'], work);
    await client.git(['commit', '-q', '-m', 'big'], work);
    const push = await client.git(['-c', 'http.postBuffer=65536', 'push', 'origin', 'main'], work);
    expect(push.code).toBe(0);
    expect((await gitClient().git(['clone', '-q', signedIn('payments/large.git'), 'copy'])).code).toBe(0);
  });

  it('inflates gzip request bodies as git clients send them', async () => {
    const client = gitClient();
    await client.git(['clone', signedIn('payments/gzipped.git'), 'g']);
    const work = path.join(client.home, 'g');
    writeFileSync(path.join(work, 'a.txt'), 'a\n');
    await client.git(['add', '.'], work);
    await client.git(['commit', '-m', 'a'], work);
    await client.git(['push', 'origin', 'main'], work);
    const sha = (await client.git(['rev-parse', 'HEAD'], work)).out.trim();
    const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;
    const request = `${pkt(`want ${sha}\n`)}0000${pkt('done\n')}`;
    const res = await fetch(`${git.url}/payments/gzipped.git/git-upload-pack`, {
      method: 'POST',
      body: gzipSync(Buffer.from(request)),
      headers: {
        ...TOKEN_AUTH,
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(body).toContain('NAK');
    expect(body).toContain('PACK');
  });

  it('releases every tracked stream once a clone is done', async () => {
    expect((await gitClient().git(['clone', '-q', signedIn('payments/shop.git'), 'z'])).code).toBe(0);
    expect(git.ctx.faults.openStreams('git')).toEqual([]);
  });

  it('honours the git fault knobs', async () => {
    git.ctx.faults.set('git', { errorRate: 1, errorCode: 503 });
    const clone = await gitClient().git(['clone', signedIn('payments/shop.git'), 'f']);
    expect(clone.code).not.toBe(0);
    expect(clone.out).toContain('503');
  });
});
