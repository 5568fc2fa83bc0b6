import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kinds, type Sandbox } from '@platform/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { git, output, repoUrl, ROOT, runTemplate, startPlatformSandbox } from './platform-sandbox';

/** Commits `content` as `file` of a repository of the sandbox's git server, as a developer would. */
async function pushFile(sandbox: Sandbox, repo: string, file: string, content: string): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'push-'));
  await git('clone', '-q', repoUrl(sandbox, repo), work);
  fs.writeFileSync(path.join(work, file), content);
  await git('-C', work, 'add', file);
  await git(
    '-C',
    work,
    '-c',
    'user.name=dev',
    '-c',
    'user.email=dev@example.com',
    'commit',
    '-qam',
    `edit ${file}`,
  );
  await git('-C', work, 'push', '-q', 'origin', 'HEAD:main');
}

/** The message of the workflow's step `name` (the workflow's own says only which child failed). */
function nodeMessage(wf: object, name: string): string | undefined {
  const { status } = wf as {
    status?: { nodes?: Record<string, { displayName?: string; message?: string }> };
  };
  return Object.values(status?.nodes ?? {}).find((n) => n.displayName === name)?.message;
}

/** What the task service passes a cd: the environment's Application and the tag's digest. */
function cdParameters(sandbox: Sandbox, environment: string, tag: string): Record<string, string> {
  const digest = sandbox.ctx.registry.find(`registry.sandbox.local/payments/shop:${tag}`)?.digest;
  return {
    app: 'shop',
    team: 'payments',
    environment,
    application: `shop-${environment}`,
    tag,
    // A tag nobody built has no digest: a well-formed one that no image has.
    digest: digest ?? `sha256:${'0'.repeat(64)}`,
  };
}

async function readFile(sandbox: Sandbox, repo: string, file: string): Promise<string> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'read-'));
  await git('clone', '-q', repoUrl(sandbox, repo), work);
  return fs.readFileSync(path.join(work, file), 'utf8');
}

/** deploy/argo/ci.yaml and cd.yaml after a create-app, run by the sandbox through the Argo API. */
describe('the ci and cd WorkflowTemplates', () => {
  let sandbox: Sandbox;
  /** The tag of the first image, which create-app built from the source commit. */
  let firstTag: string;

  beforeAll(async () => {
    sandbox = await startPlatformSandbox();
    const created = await runTemplate(sandbox, 'create-app', {
      app: 'shop',
      team: 'payments',
      template: 'go-service',
      values: 'PORT=8080',
    });
    expect(created.status?.phase).toBe('Succeeded');
    firstTag = output(created, 'source-commit') ?? '';
  });
  afterAll(() => sandbox.stop());

  it('ci builds the ref and outputs the image, its digest and the commit; cd deploys it keeping the comments', async () => {
    // A new commit on main, as a developer would push it.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-'));
    await git('clone', '-q', repoUrl(sandbox, 'payments/shop'), work);
    fs.appendFileSync(path.join(work, 'main.go'), '\n// v2\n');
    await git('-C', work, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qam', 'v2');
    await git('-C', work, 'push', '-q', 'origin', 'HEAD:main');
    const commit = (await git('-C', work, 'rev-parse', 'HEAD')).trim();

    const ci = await runTemplate(sandbox, 'ci', { app: 'shop', team: 'payments', ref: 'main' });
    expect({ phase: ci.status?.phase, message: ci.status?.message }).toEqual({
      phase: 'Succeeded',
      message: undefined,
    });
    const tag = commit.slice(0, 12);
    expect(output(ci, 'commit')).toBe(commit);
    expect(output(ci, 'image')).toBe(`registry.sandbox.local/payments/shop:${tag}`);
    expect(output(ci, 'digest')).toBe(
      sandbox.ctx.registry.find(`registry.sandbox.local/payments/shop:${tag}`)?.digest,
    );

    const cd = await runTemplate(sandbox, 'cd', cdParameters(sandbox, 'dev', tag));
    const digest = cdParameters(sandbox, 'dev', tag).digest;
    expect({ phase: cd.status?.phase, message: cd.status?.message }).toEqual({
      phase: 'Succeeded',
      message: undefined,
    });
    const manifests = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-'));
    await git('clone', '-q', repoUrl(sandbox, 'payments/shop-manifests'), manifests);
    expect(fs.readFileSync(path.join(manifests, 'chart', 'values-dev.yaml'), 'utf8')).toBe(
      `# dev environment of shop.\nreplicaCount: 1\nimage:\n  # The image the cd workflow deployed here last.\n  tag: "${tag}"\n  digest: "${digest}"\n`,
    );
    const manifestsCommit = (await git('-C', manifests, 'rev-parse', 'HEAD')).trim();
    expect(output(cd, 'manifests-commit')).toBe(manifestsCommit);
    expect(output(cd, 'synced-revision')).toBe(manifestsCommit);
    expect(output(cd, 'health')).toBe('Healthy');
    const images = sandbox.ctx.store
      .list(Kinds.Pod, { namespace: 'payments-dev' })
      .items.filter((p) => (p.status as { phase?: string }).phase === 'Running')
      .map((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image);
    // Pinned by digest: a tag moved later changes nothing that runs.
    expect(images).toEqual([`registry.sandbox.local/payments/shop@${digest}`]);
  });

  it("ci of a ref that does not exist fails at clone with git's message", async () => {
    const ci = await runTemplate(sandbox, 'ci', { app: 'shop', team: 'payments', ref: 'no-such-branch' });
    expect(ci.status?.phase).toBe('Failed');
    expect(ci.status?.message).toMatch(/no-such-branch/);
  });

  it("cd to an environment the team's AppProject does not allow fails at provision, with Argo CD's refusal", async () => {
    const cd = await runTemplate(sandbox, 'cd', cdParameters(sandbox, 'staging', 'abc'));
    expect(cd.status?.phase).toBe('Failed');
    expect(nodeMessage(cd, 'provision')).toMatch(/payments-staging/);
    expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', 'shop-staging')).toBeUndefined();
  });

  it.each([
    [
      'a ClusterRole',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: shop-reader\nrules: []\n',
      'resource rbac.authorization.k8s.io:ClusterRole is not permitted in project payments',
    ],
    [
      "an object in another team's namespace",
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-settings\n  namespace: content-dev\ndata: {}\n',
      "namespace content-dev is not permitted in project 'payments'",
    ],
  ])(
    "cd of a chart that renders %s fails the sync with Argo CD's message, applying nothing",
    async (_what, manifest, reason) => {
      const manifests = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-extra-'));
      await git('clone', '-q', repoUrl(sandbox, 'payments/shop-manifests'), manifests);
      fs.writeFileSync(path.join(manifests, 'chart', 'templates', 'extra.yaml'), manifest);
      await git('-C', manifests, 'add', '-A');
      await git(
        '-C',
        manifests,
        '-c',
        'user.name=dev',
        '-c',
        'user.email=dev@example.com',
        'commit',
        '-qm',
        'extra',
      );
      await git('-C', manifests, 'push', '-q', 'origin', 'HEAD:main');
      const cd = await runTemplate(sandbox, 'cd', cdParameters(sandbox, 'dev', firstTag));
      expect({ phase: cd.status?.phase, message: cd.status?.message }).toEqual({
        phase: 'Failed',
        message: expect.stringContaining('Operation has completed with phase: Failed'),
      });
      const app = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop-dev') as unknown as {
        status: { operationState: { phase: string; message: string } };
      };
      expect(app.status.operationState).toMatchObject({
        phase: 'Failed',
        message: `one or more synchronization tasks are not valid: ${reason}`,
      });
      expect(sandbox.ctx.store.get(Kinds.ClusterRole, undefined, 'shop-reader')).toBeUndefined();
      expect(sandbox.ctx.store.get(Kinds.ConfigMap, 'content-dev', 'shop-settings')).toBeUndefined();
      // Back to a chart the project permits, for whatever runs next.
      await git('-C', manifests, 'rm', '-q', 'chart/templates/extra.yaml');
      await git(
        '-C',
        manifests,
        '-c',
        'user.name=dev',
        '-c',
        'user.email=dev@example.com',
        'commit',
        '-qm',
        'no extra',
      );
      await git('-C', manifests, 'pull', '-q', '--rebase', 'origin', 'main');
      await git('-C', manifests, 'push', '-q', 'origin', 'HEAD:main');
    },
  );

  it("cd sets image.tag and image.digest and nothing else: another block's tag and every comment stay as they were", async () => {
    const before =
      '# prod environment of shop.\nreplicaCount: 3\n# The log shipper has a tag of its own.\nsidecar:\n  tag: "9.9" # pinned\n' +
      'image:\n  # The image the cd workflow deployed here last.\n  tag: "old" # set by cd\n  pullPolicy: IfNotPresent\n';
    await pushFile(sandbox, 'payments/shop-manifests', 'chart/values-prod.yaml', before);
    const cd = await runTemplate(sandbox, 'cd', cdParameters(sandbox, 'prod', 'abc123'));
    // The sync may fail (no such image in the registry); the manifests commit is what is checked.
    expect(output(cd, 'manifests-commit')).toMatch(/^[0-9a-f]{40}$/);
    // The digest key, absent from this file, goes in right after the tag.
    expect(await readFile(sandbox, 'payments/shop-manifests', 'chart/values-prod.yaml')).toBe(
      before.replace(
        'tag: "old" # set by cd\n',
        `tag: "abc123" # set by cd\n  digest: "sha256:${'0'.repeat(64)}"\n`,
      ),
    );
  });

  it('cd refuses an environment file that sets no image.tag instead of deploying nothing', async () => {
    await pushFile(
      sandbox,
      'payments/shop-manifests',
      'chart/values-prod.yaml',
      '# prod\nimage:\n  pullPolicy: Always\n',
    );
    const cd = await runTemplate(sandbox, 'cd', cdParameters(sandbox, 'prod', 'abc123'));
    expect(cd.status?.phase).toBe('Failed');
    expect(nodeMessage(cd, 'update-manifests')).toBe(
      'Error (exit code 1): chart/values-prod.yaml sets no image.tag',
    );
  });

  it("cd's sync step writes the workspace only through the workflow's fsGroup: without it, dash refuses", async () => {
    // deploy/argo/cd.yaml as it was before the fsGroup: the workspace is a fresh volume, root:root
    // 0755, and the sync step runs as argocd (uid 999).
    const template = YAML.parse(fs.readFileSync(path.join(ROOT, 'deploy', 'argo', 'cd.yaml'), 'utf8'), {
      merge: true,
    }) as { metadata: Record<string, unknown>; spec: { securityContext?: { fsGroup?: number } } };
    expect(template.spec.securityContext?.fsGroup).toBe(999);
    delete template.spec.securityContext;
    sandbox.ctx.store.create(Kinds.WorkflowTemplate, {
      ...template,
      metadata: { ...template.metadata, name: 'cd-without-fsgroup', namespace: 'argo' },
    });
    const tag = (await git('ls-remote', repoUrl(sandbox, 'payments/shop'), 'refs/heads/main')).slice(0, 12);
    const cd = await runTemplate(sandbox, 'cd-without-fsgroup', cdParameters(sandbox, 'dev', tag));
    expect(cd.status?.phase).toBe('Failed');
    expect(nodeMessage(cd, 'sync')).toBe(
      'Error (exit code 2): /argo/staging/script: 5: cannot create /workspace/app.json: Permission denied',
    );
    const withGroup = await runTemplate(sandbox, 'cd', cdParameters(sandbox, 'dev', tag));
    expect({ phase: withGroup.status?.phase, message: withGroup.status?.message }).toEqual({
      phase: 'Succeeded',
      message: undefined,
    });
  });
});
