import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kinds, LabelSelector, type Sandbox } from '@platform/sandbox';
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
      status: {
        sync: { status: string };
        health: { status: string };
        resources: Array<{ kind: string; status: string; health?: { status: string } }>;
      };
    };
    // Argo CD's health checks: a ServiceAccount has none, Service and Deployment are Healthy.
    expect(app.status.resources.map((r) => [r.kind, r.status, r.health?.status])).toEqual([
      ['Service', 'Synced', 'Healthy'],
      ['ServiceAccount', 'Synced', undefined],
      ['Deployment', 'Synced', 'Healthy'],
    ]);
    expect(app.metadata.labels).toMatchObject({
      'platform-api/app': 'shop',
      'platform-api/team': 'payments',
    });
    expect([app.status.sync.status, app.status.health.status]).toEqual(['Synced', 'Healthy']);
    // The chart's objects and pods carry the platform labels; the portal finds them by these alone.
    const platform = {
      'platform-api/app': 'shop',
      'platform-api/team': 'payments',
      'platform-api/template': 'node-service',
    };
    const byApp = { labelSelector: LabelSelector.parse('platform-api/app=shop') };
    const pods = sandbox.ctx.store.list(Kinds.Pod, byApp).items;
    expect(pods).toHaveLength(1);
    const objects = [Kinds.ServiceAccount, Kinds.Service, Kinds.Deployment].flatMap(
      (kind) => sandbox.ctx.store.list(kind, byApp).items,
    );
    expect(
      objects.map((o) => `${o.kind ?? ''}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`),
    ).toEqual(['ServiceAccount/shop-dev/shop', 'Service/shop-dev/shop', 'Deployment/shop-dev/shop']);
    for (const object of [...pods, ...objects]) expect(object.metadata.labels).toMatchObject(platform);
    const pod = pods[0]?.spec as { containers: Array<{ ports: Array<{ containerPort: number }> }> };
    expect(pod.containers[0]?.ports[0]?.containerPort).toBe(8081);
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
});
