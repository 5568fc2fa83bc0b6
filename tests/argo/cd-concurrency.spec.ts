import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { finishedWorkflow, Kinds, submitTemplate, type Sandbox } from '@platform/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, output, repoUrl, runTemplate, startPlatformSandbox } from './platform-sandbox';

const IMAGE = 'registry.sandbox.local/payments/shop';

/**
 * Two deploys of one app at once (deploy/argo/cd.yaml): the app's mutex runs them one after the
 * other, each syncs the branch and checks that what Argo CD synced contains its commit, and the
 * environment ends on the tag deployed last. Argo CD operations take a while here, as real syncs
 * do, so two unserialized deploys would overlap (one sync refused) or roll each other back.
 */
describe('two cds of one app', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startPlatformSandbox({ applicationController: { syncDurationMs: 20_000 } });
    const created = await runTemplate(sandbox, 'create-app', {
      app: 'shop',
      team: 'payments',
      template: 'go-service',
      values: 'PORT=8080',
    });
    expect(created.status?.phase).toBe('Succeeded');
    // As two ci runs would have pushed them.
    for (const tag of ['v1', 'v2']) sandbox.ctx.registry.push(IMAGE, tag, `shop ${tag}`);
  });
  afterAll(() => sandbox.stop());

  it('run one after the other, both succeed, and the environment ends on the later tag', async () => {
    const first = await submitTemplate(sandbox, 'cd', {
      app: 'shop',
      team: 'payments',
      environment: 'dev',
      application: 'shop-dev',
      tag: 'v1',
      digest: sandbox.ctx.registry.find(`${IMAGE}:v1`)?.digest ?? '',
    });
    const second = await submitTemplate(sandbox, 'cd', {
      app: 'shop',
      team: 'payments',
      environment: 'dev',
      application: 'shop-dev',
      tag: 'v2',
      digest: sandbox.ctx.registry.find(`${IMAGE}:v2`)?.digest ?? '',
    });
    const [a, b] = await Promise.all([finishedWorkflow(sandbox, first), finishedWorkflow(sandbox, second)]);
    expect([a.status?.phase, a.status?.message, b.status?.phase, b.status?.message]).toEqual([
      'Succeeded',
      undefined,
      'Succeeded',
      undefined,
    ]);
    const times = (wf: typeof a) => wf as unknown as { status: { startedAt: string; finishedAt: string } };
    expect(Date.parse(times(b).status.startedAt)).toBeGreaterThanOrEqual(
      Date.parse(times(a).status.finishedAt),
    );

    const manifests = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-twice-'));
    await git('clone', '-q', repoUrl(sandbox, 'payments/shop-manifests'), manifests);
    expect(fs.readFileSync(path.join(manifests, 'chart', 'values-dev.yaml'), 'utf8')).toContain('tag: "v2"');
    const head = (await git('-C', manifests, 'rev-parse', 'HEAD')).trim();
    expect(output(b, 'manifests-commit')).toBe(head);
    expect(output(b, 'synced-revision')).toBe(head);
    const app = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop-dev') as unknown as {
      status: { sync: { revision: string } };
    };
    expect(app.status.sync.revision).toBe(head);
    const images = sandbox.ctx.store
      .list(Kinds.Pod, { namespace: 'payments-dev' })
      .items.filter((p) => (p.status as { phase?: string }).phase === 'Running')
      .map((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image);
    // The later tag, pinned by its digest.
    expect(images).toEqual([`${IMAGE}@${sandbox.ctx.registry.find(`${IMAGE}:v2`)?.digest ?? ''}`]);
  });

  it('fails a cd whose synced revision does not contain the commit it pushed, saying so', async () => {
    // A synced revision from before the pushed commit, as an older --revision would have synced.
    const manifests = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-verify-'));
    await git('clone', '-q', repoUrl(sandbox, 'payments/shop-manifests'), manifests);
    const older = (await git('-C', manifests, 'rev-parse', 'HEAD~1')).trim();
    const head = (await git('-C', manifests, 'rev-parse', 'HEAD')).trim();
    const verify = await finishedWorkflow(
      sandbox,
      await submitEntryPoint(sandbox, 'cd', 'verify', {
        app: 'shop',
        team: 'payments',
        application: 'shop-dev',
        tag: 'v2',
        digest: '',
        'git-url': sandbox.urls.git,
        pushed: head,
        synced: older,
      }),
    );
    expect(verify.status?.phase).toBe('Failed');
    expect(verify.status?.message).toBe(
      `Error (exit code 1): Argo CD synced shop to '${older}', which does not contain the commit this deploy pushed (${head})`,
    );
  });
});

/** Submits one template of a WorkflowTemplate as the entry point (`argo submit --from --entrypoint`). */
async function submitEntryPoint(
  sandbox: Sandbox,
  template: string,
  entryPoint: string,
  parameters: Record<string, string>,
): Promise<string> {
  const res = await fetch(
    `${sandbox.urls.argo}/api/v1/workflows/${sandbox.ctx.config.argoNamespace}/submit`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.ctx.config.argoToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        resourceKind: 'WorkflowTemplate',
        resourceName: template,
        submitOptions: {
          generateName: `${template}-${entryPoint}-`,
          entryPoint,
          parameters: Object.entries(parameters).map(([k, v]) => `${k}=${v}`),
        },
      }),
    },
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { metadata: { name: string } }).metadata.name;
}
