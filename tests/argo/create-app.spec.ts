import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kinds, startSandbox, type Sandbox } from '@platform/sandbox';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
// Asynchronous: the sandbox's git server runs in this process.
const git = async (...args: string[]): Promise<string> => (await promisify(execFile)('git', args)).stdout;

interface Workflow {
  metadata: { name: string; labels?: Record<string, string> };
  status?: {
    phase?: string;
    message?: string;
    outputs?: { parameters?: Array<{ name: string; value?: string }> };
  };
}

/** deploy/argo/create-app.yaml run by the sandbox's workflow controller, through the Argo API. */
describe('the create-app WorkflowTemplate', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      templatesDir: path.join(ROOT, 'deploy', 'templates', 'repos'),
      manifestsDir: path.join(ROOT, 'deploy', 'argo'),
      speed: 20,
      applicationController: { syncDurationMs: 500 },
    });
    sandbox.ctx.store.create(Kinds.Secret, {
      metadata: { name: 'platform-argocd', namespace: 'argo' },
      type: 'Opaque',
      data: {
        username: Buffer.from('admin').toString('base64'),
        password: Buffer.from(sandbox.ctx.config.argocdPassword).toString('base64'),
      },
    });
  });
  afterAll(() => sandbox.stop());

  async function run(parameters: Record<string, string>): Promise<Workflow> {
    const submitted = await fetch(`${sandbox.urls.argo}/api/v1/workflows/argo/submit`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.ctx.config.argoToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        resourceKind: 'WorkflowTemplate',
        resourceName: 'create-app',
        submitOptions: {
          generateName: 'create-',
          parameters: Object.entries({
            'git-url': sandbox.urls.git,
            registry: sandbox.ctx.config.registryHost,
            'argocd-server': 'argocd-server.argocd.svc',
            ...parameters,
          }).map(([k, v]) => `${k}=${v}`),
        },
      }),
    });
    expect(submitted.status).toBe(200);
    const { metadata } = (await submitted.json()) as Workflow;
    for (let i = 0; i < 900; i += 1) {
      const wf = sandbox.ctx.store.mustGet(Kinds.Workflow, 'argo', metadata.name) as unknown as Workflow;
      if (wf.metadata.labels?.['workflows.argoproj.io/completed'] === 'true') return wf;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${metadata.name} did not finish`);
  }

  const output = (wf: Workflow, name: string): string | undefined =>
    wf.status?.outputs?.parameters?.find((p) => p.name === name)?.value;

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
    await git('clone', '-q', `${sandbox.urls.git}/shop.git`, path.join(work, 'src'));
    await git('clone', '-q', `${sandbox.urls.git}/shop-manifests.git`, path.join(work, 'manifests'));
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

  it('fails at create-repos, saying why, when the app exists', async () => {
    const wf = await run({ app: 'shop', team: 'payments', template: 'node-service' });
    expect(wf.status?.phase).toBe('Failed');
    expect(wf.status?.message).toMatch(/cannot create repository shop: HTTP 409/);
  });
});
