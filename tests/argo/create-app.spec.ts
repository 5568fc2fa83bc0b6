import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gitAuthorization, gitStore, Kinds, LabelSelector, type Sandbox } from '@platform/sandbox';
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
  const repository = async (fullName: string, authorization?: string) => {
    const res = await fetch(`${sandbox.urls.git}/api/v1/repos/${fullName}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("creates the team's private repos through Gitea's API, renders the template, builds the first image and ends Healthy", async () => {
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

    for (const name of ['payments/shop', 'payments/shop-manifests']) {
      expect((await repository(name, gitAuthorization(sandbox))).body).toMatchObject({
        full_name: name,
        private: true,
        default_branch: 'main',
      });
      // Private: without a login the repository is not even shown.
      expect((await repository(name)).status).toBe(404);
    }
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'create-app-'));
    await git('clone', '-q', repoUrl(sandbox, 'payments/shop'), path.join(work, 'src'));
    await git('clone', '-q', repoUrl(sandbox, 'payments/shop-manifests'), path.join(work, 'manifests'));
    const server = fs.readFileSync(path.join(work, 'src', 'src', 'server.js'), 'utf8');
    expect(server).toContain("'hi there from shop");
    expect(server).toContain('process.env.PORT ?? 8081');
    const commit = (await git('-C', path.join(work, 'src'), 'rev-parse', 'HEAD')).trim();
    const values = fs.readFileSync(path.join(work, 'manifests', 'chart', 'values.yaml'), 'utf8');
    expect(values).toContain('repository: registry.sandbox.local/payments/shop');
    expect(values).toContain(`tag: "${commit}"`);
    expect(values).toContain('# Set by the cd workflow for each environment: keep this key.');

    expect(output(wf, 'source-commit')).toBe(commit);
    expect(output(wf, 'source-repo-url')).toBe(`${sandbox.urls.git}/payments/shop.git`);
    expect(output(wf, 'manifests-repo-url')).toBe(`${sandbox.urls.git}/payments/shop-manifests.git`);
    expect(output(wf, 'argocd-app')).toBe('shop-dev');
    const image = sandbox.ctx.registry.find(`registry.sandbox.local/payments/shop:${commit}`);
    expect(output(wf, 'image-digest')).toBe(image?.digest);

    const app = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop-dev') as unknown as {
      metadata: { labels: Record<string, string> };
      spec: { source: { repoURL: string }; syncPolicy?: unknown };
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
    expect(app.spec.source.repoURL).toBe(`${sandbox.urls.git}/payments/shop-manifests.git`);
    // In the team's project (deploy/team), deploying to the team's namespace, which the platform
    // team created: no CreateNamespace, which the project would refuse.
    expect(app.spec).toMatchObject({
      project: 'payments',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'payments-dev' },
    });
    expect(app.spec.syncPolicy).toBeUndefined();
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
    ).toEqual([
      'ServiceAccount/payments-dev/shop',
      'Service/payments-dev/shop',
      'Deployment/payments-dev/shop',
    ]);
    for (const object of [...pods, ...objects]) expect(object.metadata.labels).toMatchObject(platform);
    const pod = pods[0]?.spec as { containers: Array<{ ports: Array<{ containerPort: number }> }> };
    expect(pod.containers[0]?.ports[0]?.containerPort).toBe(8081);
  });

  it("cannot take an app name another team's project uses: create-argocd-app fails, the app is unchanged", async () => {
    const before = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop-dev');
    const wf = await run({
      app: 'shop',
      team: 'content',
      template: 'node-service',
      values: 'PORT=8081\nGREETING=hi',
    });
    expect(wf.status?.phase).toBe('Failed');
    // Moving shop into project content needs update rights on payments/shop, which the
    // workflows' account does not have (and without --upsert Argo CD would refuse anyway).
    expect(wf.status?.message).toMatch(
      /rpc error: code = PermissionDenied desc = error while validating and normalizing app: permission denied: applications, update, payments\/shop-dev, sub: platform-workflows, iat: /,
    );
    const after = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop-dev');
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.labels).toEqual(before.metadata.labels);
  });

  it('stops before pushing when the template needs a value that was not given', async () => {
    const wf = await run({ app: 'blog', team: 'content', template: 'go-service' });
    expect(wf.status?.phase).toBe('Failed');
    expect(wf.status?.message).toContain('template go-service needs values for: __PORT__');
  });

  it("stops at argocd login's TLS question when argocd-tls does not match the server: a pod cannot answer it", async () => {
    // The sandbox's Argo CD speaks plain HTTP; '' means "TLS, verified".
    const wf = await run({
      app: 'wiki',
      team: 'content',
      template: 'node-service',
      values: 'PORT=8081\nGREETING=hi',
      'argocd-tls': '',
    });
    expect({ phase: wf.status?.phase, message: wf.status?.message }).toEqual({
      phase: 'Failed',
      message: 'Error (exit code 20): WARNING: server is not configured with TLS. Proceed (y/n)? ',
    });
    expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', 'wiki')).toBeUndefined();
  });

  it("fails at create-repos with Gitea's 409 message when the app exists", async () => {
    const wf = await run({ app: 'shop', team: 'payments', template: 'node-service' });
    expect(wf.status?.phase).toBe('Failed');
    expect(wf.status?.message).toBe(
      'Error (exit code 1): cannot create repository payments/shop: HTTP 409 The repository with the same name already exists.',
    );
  });

  it('fails at create-repos when the team has no organization on the git server', async () => {
    const wf = await run({ app: 'lonely', team: 'nobody', template: 'node-service' });
    expect(wf.status?.phase).toBe('Failed');
    expect(wf.status?.message).toBe(
      'Error (exit code 1): the git server has no organization "nobody" (one per team is a prerequisite, see deploy/argo/README.md): HTTP 404 GetOrgByName',
    );
  });

  it('builds the request JSON safely: a quote in the app name cannot add fields to the request', async () => {
    // The task service only submits DNS-1123 names; this goes around it, as a direct submit could.
    const wf = await run({ app: 'evil","private":false,"x":"', team: 'payments', template: 'node-service' });
    expect(wf.status?.phase).toBe('Failed');
    expect(wf.status?.message).toBe(
      'Error (exit code 1): cannot create repository payments/evil","private":false,"x":": HTTP 422 [Name]: AlphaDashDot',
    );
    const listed = await fetch(`${sandbox.urls.git}/api/v1/orgs/payments/repos`, {
      headers: { authorization: gitAuthorization(sandbox) },
    });
    expect(((await listed.json()) as Array<{ name: string }>).map((r) => r.name)).not.toContain('evil');
  });

  it("needs Argo CD's repo-creds Secret: without it create-argocd-app fails with Argo CD's message", async () => {
    const secret = sandbox.ctx.store.mustGet(Kinds.Secret, 'argocd', 'platform-git-repos');
    sandbox.ctx.store.delete(Kinds.Secret, 'argocd', 'platform-git-repos');
    try {
      const wf = await run({
        app: 'cart',
        team: 'payments',
        template: 'node-service',
        values: 'PORT=8080\nGREETING=hi',
      });
      expect(wf.status?.phase).toBe('Failed');
      const argocd =
        'application spec for cart-dev is invalid: InvalidSpecError: repository not accessible: repositories not accessible: ' +
        `&Repository{Repo: "${sandbox.urls.git}/payments/cart-manifests.git", Type: "", Name: "", Project: ""}: ` +
        'repo client error while testing repository: rpc error: code = Unknown desc = error testing repository connectivity: ' +
        'unable to ls-remote HEAD on repository: failed to list refs: authentication required: Unauthorized\n';
      // The argocd CLI's fatal log line is logrus' JSON (v3's default format), which escapes HTML
      // characters as Go's encoding/json does: `&Repository` reads `\u0026Repository`.
      expect(wf.status?.message).toContain(JSON.stringify(argocd).slice(1, -1).replace(/&/g, '\\u0026'));
    } finally {
      sandbox.ctx.store.create(Kinds.Secret, {
        ...secret,
        metadata: { ...secret.metadata, resourceVersion: undefined },
      });
    }
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
    await git('clone', '-q', repoUrl(sandbox, 'payments/token-echo'), work);
    const server = fs.readFileSync(path.join(work, 'src', 'server.js'), 'utf8');
    expect(server).toContain("'$(GIT_TOKEN) from token-echo");
    expect(server).not.toContain(sandbox.ctx.config.gitPassword ?? 'no password');
  });

  it("renders the template's main branch, whatever branch its repository's HEAD names", async () => {
    const templates = sandbox.ctx.config.gitTemplatesOrg;
    const bare = gitStore(sandbox.ctx).repos.pathOf(templates, 'node-service');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'template-'));
    await git('clone', '-q', repoUrl(sandbox, `${templates}/node-service`), work);
    fs.appendFileSync(path.join(work, 'src', 'server.js'), '// unreleased\n');
    await git('-C', work, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qam', 'wip');
    // Straight into the bare repository: the platform's account may read the templates, not push.
    await git('-C', work, 'push', '-q', bare, 'HEAD:refs/heads/next');
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
      await git('clone', '-q', repoUrl(sandbox, 'payments/mainline'), source);
      expect(fs.readFileSync(path.join(source, 'src', 'server.js'), 'utf8')).not.toContain('unreleased');
    } finally {
      await git('--git-dir', bare, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    }
  });
});
