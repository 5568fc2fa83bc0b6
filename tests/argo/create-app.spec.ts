import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kinds, type Sandbox } from '@platform/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, output, repoUrl, runTemplate, startPlatformSandbox } from './platform-sandbox';

/** deploy/argo/create-app.yaml run by the sandbox's workflow controller, through the Argo API. */
describe('the create-app WorkflowTemplate', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startPlatformSandbox();
  });
  afterAll(() => sandbox.stop());

  const run = (parameters: Record<string, string>) => runTemplate(sandbox, 'create-app', parameters);

  it('creates source and manifests repos with the rendered template, builds the first image and ends Healthy', async () => {
    const wf = await run({
      app: 'shop',
      team: 'payments',
      template: 'node-service',
      values: 'PORT=8081\nGREETING=hi there',
    });
    expect({ phase: wf.status?.phase, message: wf.status?.message }).toEqual({
      phase: 'Succeeded',
      message: undefined,
    });

    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'create-app-'));
    await git('clone', '-q', repoUrl(sandbox, 'shop'), path.join(work, 'src'));
    await git('clone', '-q', repoUrl(sandbox, 'shop-manifests'), path.join(work, 'manifests'));
    const server = fs.readFileSync(path.join(work, 'src', 'src', 'server.js'), 'utf8');
    expect(server).toContain("'hi there from shop");
    expect(server).toContain('process.env.PORT ?? 8081');
    const commit = (await git('-C', path.join(work, 'src'), 'rev-parse', 'HEAD')).trim();
    const values = fs.readFileSync(path.join(work, 'manifests', 'chart', 'values.yaml'), 'utf8');
    expect(values).toContain('repository: registry.sandbox.local/payments/shop');
    expect(values).toContain(`tag: "${commit}"`);
    expect(values).toContain('# Set by the cd workflow for each environment: keep this key.');

    expect(output(wf, 'source-commit')).toBe(commit);
    expect(output(wf, 'source-repo-url')).toBe(`${sandbox.urls.git}/shop.git`);
    expect(output(wf, 'manifests-repo-url')).toBe(`${sandbox.urls.git}/shop-manifests.git`);
    expect(output(wf, 'argocd-app')).toBe('shop');
    const image = sandbox.ctx.registry.find(`registry.sandbox.local/payments/shop:${commit}`);
    expect(output(wf, 'image-digest')).toBe(image?.digest);

    const app = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop') as unknown as {
      metadata: { labels: Record<string, string> };
      status: { sync: { status: string }; health: { status: string } };
    };
    expect(app.metadata.labels).toMatchObject({
      'platform-api/app': 'shop',
      'platform-api/team': 'payments',
    });
    expect([app.status.sync.status, app.status.health.status]).toEqual(['Synced', 'Healthy']);
    const pods = sandbox.ctx.store.list(Kinds.Pod, { namespace: 'shop-dev' }).items;
    expect(pods).toHaveLength(1);
  });

  it('stops before pushing when the template needs a value that was not given', async () => {
    const wf = await runTemplate(sandbox, 'create-app', {
      app: 'blog',
      team: 'content',
      template: 'go-service',
    });
    expect(wf.status?.phase).toBe('Failed');
    expect(wf.status?.message).toContain('template go-service needs values for: __PORT__');
  });

  it('fails at create-repos, saying why, when the app exists', async () => {
    const wf = await run({ app: 'shop', team: 'payments', template: 'node-service' });
    expect(wf.status?.phase).toBe('Failed');
    expect(wf.status?.message).toMatch(/cannot create repository shop: HTTP 409/);
  });

  it('pushes a value "$(GIT_TOKEN)" as typed: user values come before the secrets kubelet could expand', async () => {
    const wf = await run({
      app: 'token-echo',
      team: 'payments',
      template: 'node-service',
      values: 'PORT=8082\nGREETING=$(GIT_TOKEN)',
    });
    expect(wf.status?.phase).toBe('Succeeded');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'token-echo-'));
    await git('clone', '-q', repoUrl(sandbox, 'token-echo'), work);
    const server = fs.readFileSync(path.join(work, 'src', 'server.js'), 'utf8');
    expect(server).toContain("'$(GIT_TOKEN) from token-echo");
    expect(server).not.toContain(sandbox.ctx.config.gitPassword ?? 'no password');
  });

  it("renders the template's main branch, whatever branch its repository's HEAD names", async () => {
    const bare = path.join(sandbox.ctx.config.dataDir, 'git', 'node-service.git');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'template-'));
    await git('clone', '-q', repoUrl(sandbox, 'node-service'), work);
    fs.appendFileSync(path.join(work, 'src', 'server.js'), '// unreleased\n');
    await git('-C', work, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qam', 'wip');
    await git('-C', work, 'push', '-q', 'origin', 'HEAD:refs/heads/next');
    await git('--git-dir', bare, 'symbolic-ref', 'HEAD', 'refs/heads/next');
    try {
      const wf = await run({
        app: 'mainline',
        team: 'payments',
        template: 'node-service',
        values: 'PORT=8083\nGREETING=hi',
      });
      expect(wf.status?.phase).toBe('Succeeded');
      const source = fs.mkdtempSync(path.join(os.tmpdir(), 'mainline-'));
      await git('clone', '-q', repoUrl(sandbox, 'mainline'), source);
      expect(fs.readFileSync(path.join(source, 'src', 'server.js'), 'utf8')).not.toContain('unreleased');
    } finally {
      await git('--git-dir', bare, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    }
  });
});
