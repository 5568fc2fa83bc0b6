import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ApplicationController } from '../../src/argo-cd/application-controller';
import { argoCdHandler } from '../../src/argo-cd/argo-cd.server';
import { Kinds } from '../../src/core/resource-kinds';
import { serve } from '../../src/testing/serve';
import { podName } from '../../src/workflows';
import { DeploymentController } from '../../src/workloads/deployment-controller';
import { gitClient } from '../git/git-test-kit';
import {
  completed,
  createRepo,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

const ARGOCD_IMAGE = 'quay.io/argoproj/argocd:v3.5.1';

function argocdWorkflow(name: string, source: string, env: Array<Record<string, unknown>> = []) {
  return {
    metadata: { name },
    spec: {
      entrypoint: 'deploy',
      templates: [
        {
          name: 'deploy',
          script: { image: ARGOCD_IMAGE, command: ['sh'], env, source },
          outputs: { parameters: [{ name: 'app', valueFrom: { path: '/tmp/app.json', default: '{}' } }] },
        },
      ],
    },
  };
}

describe('argocd CLI steps against the sandbox Argo CD', () => {
  let sandbox: WorkflowSandbox;
  let argocd: { url: string; close(): Promise<void> };
  let apps: ApplicationController;
  let deployments: DeploymentController;
  let repoUrl: string;

  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
    const { ctx } = sandbox;
    argocd = await serve(argoCdHandler(ctx));
    ctx.urls.argocd = argocd.url;
    apps = new ApplicationController(ctx, { reconcileIntervalMs: 3_600_000, syncDurationMs: 200 });
    deployments = new DeploymentController(ctx);
    apps.start();
    deployments.start();

    await createRepo(ctx, 'payments-manifests');
    repoUrl = `${ctx.urls.git}/payments-manifests.git`;
    const client = gitClient();
    await client.git(['clone', '-q', repoUrl, 'm']);
    const work = path.join(client.home, 'm');
    mkdirSync(path.join(work, 'chart'));
    writeFileSync(path.join(work, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: payments\nversion: 0.1.0\n');
    writeFileSync(
      path.join(work, 'chart', 'values.yaml'),
      'image:\n  repository: registry.sandbox.local/team-a/payments\n  tag: "1.0.0"\nreplicaCount: 1\ncontainerPort: 8080\n',
    );
    await client.git(['add', '.'], work);
    await client.git(['commit', '-q', '-m', 'chart'], work);
    await client.git(['push', '-q', 'origin', 'HEAD:main'], work);
    ctx.registry.push('registry.sandbox.local/team-a/payments', '1.0.0', 'payments 1.0.0');
    ctx.store.create(Kinds.Secret, {
      metadata: { name: 'argocd-credentials', namespace: NS },
      type: 'Opaque',
      data: { password: Buffer.from(ctx.config.argocdPassword).toString('base64') },
    });
  });
  afterAll(async () => {
    apps.stop();
    deployments.stop();
    await argocd.close();
    await sandbox.close();
  });

  it('logs in, creates, syncs and waits for an app, and saves it as JSON', async () => {
    const { ctx } = sandbox;
    const script = [
      'set -e',
      'argocd login argocd-server.argocd.svc --username admin --password "$ARGOCD_PASSWORD" --insecure --grpc-web',
      'argocd app create "$APP" --repo "$REPO" --path chart --revision main \\',
      '  --dest-server https://kubernetes.default.svc --dest-namespace "${APP}-dev" --project default \\',
      '  --sync-option CreateNamespace=true --label "platform-api/app=$APP" --label platform-api/team=team-a --upsert',
      'argocd app sync "$APP" --timeout 60',
      'argocd app wait "$APP" --health --sync --timeout 60',
      'argocd app get "$APP" -o json > /tmp/app.json',
    ].join('\n');
    submit(
      ctx,
      argocdWorkflow('cd-1', script, [
        { name: 'APP', value: 'payments' },
        { name: 'REPO', value: repoUrl },
        {
          name: 'ARGOCD_PASSWORD',
          valueFrom: { secretKeyRef: { name: 'argocd-credentials', key: 'password' } },
        },
      ]),
    );
    const wf = await waitForWorkflow(ctx, 'cd-1', completed);
    const logs = ctx.logs.lines(NS, 'cd-1', 'main').map((l) => l.text);
    expect({ phase: wf.status.phase, message: wf.status.message }).toEqual({
      phase: 'Succeeded',
      message: undefined,
    });
    expect(logs.slice(0, 3)).toEqual([
      "'admin:login' logged in successfully",
      "Context 'argocd-server.argocd.svc' updated",
      "application 'payments' created",
    ]);
    expect(logs).toContainEqual(expect.stringMatching(/^Phase:\s+Succeeded$/));
    expect(logs).toContainEqual(expect.stringMatching(/^Health Status:\s+Healthy$/));

    const app = ctx.store.mustGet(Kinds.Application, ctx.config.argocdNamespace, 'payments');
    expect(app.metadata.labels).toEqual({ 'platform-api/app': 'payments', 'platform-api/team': 'team-a' });
    const output = JSON.parse(
      (wf.status.nodes as Record<string, { outputs?: { parameters?: Array<{ value: string }> } }>)['cd-1']
        ?.outputs?.parameters?.[0]?.value ?? '{}',
    ) as { status: { sync: { status: string }; health: { status: string } } };
    expect(output.status.sync.status).toBe('Synced');
    expect(output.status.health.status).toBe('Healthy');
    expect(podName('cd-1', 'cd-1', 'deploy')).toBe('cd-1');
  });

  it("fails the step with the CLI's fatal error when the API refuses", async () => {
    const { ctx } = sandbox;
    submit(
      ctx,
      argocdWorkflow('cd-ghost', 'argocd app sync ghost --server argocd-server.argocd.svc --timeout 5'),
    );
    const wf = await waitForWorkflow(ctx, 'cd-ghost', completed);
    expect(wf.status.phase).toBe('Failed');
    expect(wf.status.message).toMatch(
      /^Error \(exit code 20\): time="[^"]+" level=fatal msg="rpc error: code = (PermissionDenied|NotFound) desc = .+"$/,
    );
  });

  it('needs a login or a server address, as the real CLI does', async () => {
    const { ctx } = sandbox;
    submit(ctx, argocdWorkflow('cd-no-login', 'argocd app get payments'));
    const wf = await waitForWorkflow(ctx, 'cd-no-login', completed);
    expect(wf.status.message).toMatch(/level=fatal msg="Argo CD server address unspecified"$/);
  });

  it("runs the image's own dash: a tool the argocd image lacks is not found, as dash says it", async () => {
    const { ctx } = sandbox;
    submit(
      ctx,
      argocdWorkflow(
        'cd-jq',
        'set -e\nargocd app get payments --server argocd-server.argocd.svc -o json | jq -r .status.health.status',
      ),
    );
    const wf = await waitForWorkflow(ctx, 'cd-jq', completed);
    expect(wf.status.phase).toBe('Failed');
    // The image is Ubuntu's with no jq; its /bin/sh is dash, which names the script and the line.
    expect(wf.status.message).toBe('Error (exit code 127): /argo/staging/script: 2: jq: not found');
  });
});
