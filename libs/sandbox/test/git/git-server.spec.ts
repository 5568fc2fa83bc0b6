import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createContext } from '../../src/core/create-context';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { gitHandler, seedTemplateRepos } from '../../src/git';
import { serve } from '../../src/testing/serve';
import { gitClient } from './git-test-kit';

async function startGit(overrides: Parameters<typeof createContext>[0] = {}) {
  const ctx = createContext(overrides);
  const server = await serve(gitHandler(ctx));
  ctx.urls.git = server.url;
  return { ctx, server };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

describe('gitHandler', () => {
  let ctx: SandboxContext;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => ({ ctx, server } = await startGit()));
  afterAll(() => server.close());
  afterEach(() => ctx.faults.clear());

  it('creates a repository by REST and answers 409 when it exists', async () => {
    const created = await post(`${server.url}/api/v1/repos`, {
      name: 'payments',
      description: 'the payments app',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: 'payments',
      description: 'the payments app',
      defaultBranch: 'main',
      empty: true,
      cloneUrl: `${server.url}/payments.git`,
    });
    const again = await post(`${server.url}/api/v1/repos`, { name: 'payments' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: { code: 'ALREADY_EXISTS', message: 'repository "payments" already exists' },
    });
  });

  it.each([
    [{ name: 'Bad_Name' }],
    [{ name: 'a'.repeat(64) }],
    [{ name: '-x' }],
    [{}],
    [{ name: 'ok', defaultBranch: 'bad..branch' }],
  ])('refuses %j with 400', async (body) => {
    const res = await post(`${server.url}/api/v1/repos`, body);
    expect(res.status).toBe(400);
    expect((res.body.error as { code: string }).code).toBe('INVALID_ARGUMENT');
  });

  it('lists, gets, deletes and 404s repositories', async () => {
    await post(`${server.url}/api/v1/repos`, { name: 'listed', defaultBranch: 'trunk' });
    const list = (await (await fetch(`${server.url}/api/v1/repos`)).json()) as {
      items: Array<{ name: string }>;
    };
    expect(list.items.map((r) => r.name)).toEqual(expect.arrayContaining(['listed', 'payments']));
    const one = await fetch(`${server.url}/api/v1/repos/listed`);
    expect(await one.json()).toMatchObject({ name: 'listed', defaultBranch: 'trunk', empty: true });
    expect((await fetch(`${server.url}/api/v1/repos/listed`, { method: 'DELETE' })).status).toBe(204);
    const gone = await fetch(`${server.url}/api/v1/repos/listed`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'repository "listed" not found' },
    });
    expect((await fetch(`${server.url}/api/v1/repos/listed`, { method: 'DELETE' })).status).toBe(404);
  });

  it('clones an empty repository, pushes to it and clones the pushed commit', async () => {
    await post(`${server.url}/api/v1/repos`, { name: 'roundtrip' });
    const client = gitClient();
    expect((await client.git(['clone', `${server.url}/roundtrip.git`, 'work'])).code).toBe(0);
    const work = path.join(client.home, 'work');
    writeFileSync(path.join(work, 'README.md'), 'hello\n');
    await client.git(['add', '.'], work);
    await client.git(['commit', '-m', 'first'], work);
    const push = await client.git(['push', 'origin', 'main'], work);
    expect(push).toMatchObject({ code: 0 });

    const other = gitClient();
    expect((await other.git(['clone', `${server.url}/roundtrip`, 'copy'])).code).toBe(0);
    expect(readFileSync(path.join(other.home, 'copy', 'README.md'), 'utf8')).toBe('hello\n');
    const info = await fetch(`${server.url}/api/v1/repos/roundtrip`);
    expect(await info.json()).toMatchObject({ empty: false });
  });

  it('accepts a chunked push larger than the client post buffer', async () => {
    await post(`${server.url}/api/v1/repos`, { name: 'large' });
    const client = gitClient();
    await client.git(['clone', `${server.url}/large.git`, 'l']);
    const work = path.join(client.home, 'l');
    writeFileSync(path.join(work, 'blob.bin'), randomBytes(3 * 1024 * 1024));
    await client.git(['add', '.'], work);
    await client.git(['commit', '-q', '-m', 'big'], work);
    const push = await client.git(['-c', 'http.postBuffer=65536', 'push', 'origin', 'main'], work);
    expect(push.code).toBe(0);
    const other = gitClient();
    expect((await other.git(['clone', '-q', `${server.url}/large.git`, 'copy'])).code).toBe(0);
  });

  it("reports git's not-found message for a missing repository", async () => {
    const client = gitClient();
    const clone = await client.git(['clone', `${server.url}/missing.git`, 'x']);
    expect(clone.code).not.toBe(0);
    expect(clone.out).toContain(`repository '${server.url}/missing.git/' not found`);
  });

  it('inflates gzip request bodies as git clients send them', async () => {
    await post(`${server.url}/api/v1/repos`, { name: 'gzipped' });
    const client = gitClient();
    await client.git(['clone', `${server.url}/gzipped.git`, 'g']);
    const work = path.join(client.home, 'g');
    writeFileSync(path.join(work, 'a.txt'), 'a\n');
    await client.git(['add', '.'], work);
    await client.git(['commit', '-m', 'a'], work);
    await client.git(['push', 'origin', 'main'], work);
    const sha = (await client.git(['rev-parse', 'HEAD'], work)).out.trim();
    const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;
    const request = `${pkt(`want ${sha}\n`)}0000${pkt('done\n')}`;
    const res = await fetch(`${server.url}/gzipped.git/git-upload-pack`, {
      method: 'POST',
      body: gzipSync(Buffer.from(request)),
      headers: { 'content-type': 'application/x-git-upload-pack-request', 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(body).toContain('NAK');
    expect(body).toContain('PACK');
  });

  it('releases every tracked stream once a clone is done', async () => {
    const client = gitClient();
    expect((await client.git(['clone', '-q', `${server.url}/payments.git`, 'z'])).code).toBe(0);
    expect(ctx.faults.openStreams('git')).toEqual([]);
  });

  it('honours the git fault knobs', async () => {
    ctx.faults.set('git', { errorRate: 1, errorCode: 503 });
    const client = gitClient();
    const clone = await client.git(['clone', `${server.url}/payments.git`, 'y']);
    expect(clone.code).not.toBe(0);
    expect(clone.out).toContain('503');
  });
});

describe('gitHandler with basic auth', () => {
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => ({ server } = await startGit({ gitUsername: 'bot', gitPassword: 's3cret' })));
  afterAll(() => server.close());

  it('challenges anonymous requests and accepts credentials in the URL', async () => {
    const anonymous = await fetch(`${server.url}/api/v1/repos`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="sandbox-git"');
    const auth = { authorization: `Basic ${Buffer.from('bot:s3cret').toString('base64')}` };
    expect((await post(`${server.url}/api/v1/repos`, { name: 'private' }, auth)).status).toBe(201);

    const client = gitClient();
    const denied = await client.git(['clone', `${server.url}/private.git`, 'a']);
    expect(denied.code).not.toBe(0);
    const wrong = await client.git([
      'clone',
      server.url.replace('http://', 'http://bot:nope@') + '/private.git',
      'b',
    ]);
    expect(wrong.out).toContain('Authentication failed');
    const ok = await client.git([
      'clone',
      server.url.replace('http://', 'http://bot:s3cret@') + '/private.git',
      'c',
    ]);
    expect(ok.code).toBe(0);
  });
});

describe(seedTemplateRepos.name, () => {
  it('seeds one commit per template folder on main, idempotently', async () => {
    const { ctx, server } = await startGit();
    try {
      const templates = mkdtempSync(path.join(os.tmpdir(), 'templates-'));
      mkdirSync(path.join(templates, 'node-service', 'src'), { recursive: true });
      writeFileSync(path.join(templates, 'node-service', 'src', 'index.js'), 'console.log(1)\n');
      writeFileSync(path.join(templates, 'node-service', 'values.yaml'), 'image: x\n');
      mkdirSync(path.join(templates, 'static-site'));
      writeFileSync(path.join(templates, 'static-site', 'index.html'), '<h1>hi</h1>\n');
      writeFileSync(path.join(templates, 'not-a-folder.txt'), 'x');

      expect(await seedTemplateRepos(ctx, templates)).toEqual(['node-service', 'static-site']);
      const client = gitClient();
      expect((await client.git(['clone', `${server.url}/node-service.git`, 'ns'])).code).toBe(0);
      const ns = path.join(client.home, 'ns');
      expect(readFileSync(path.join(ns, 'src', 'index.js'), 'utf8')).toBe('console.log(1)\n');
      const log = await client.git(['log', '--format=%an <%ae>|%s', 'main'], ns);
      expect(log.out.trim()).toBe('sandbox <sandbox@sandbox.local>|Initial commit of template node-service');
      const first = (await client.git(['rev-parse', 'HEAD'], ns)).out;

      expect(await seedTemplateRepos(ctx, templates)).toEqual(['node-service', 'static-site']);
      await client.git(['fetch'], ns);
      expect((await client.git(['rev-parse', 'origin/main'], ns)).out).toBe(first);
    } finally {
      await server.close();
    }
  });
});
