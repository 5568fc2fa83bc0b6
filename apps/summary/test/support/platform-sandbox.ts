import { expect } from '@jest/globals';
import { Kinds, startSandbox, type Sandbox, type SandboxOptions } from '@platform/sandbox';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface Workflow {
  metadata: { name: string; labels?: Record<string, string> };
  status?: {
    phase?: string;
    message?: string;
    outputs?: { parameters?: Array<{ name: string; value?: string }> };
  };
}

/** A sandbox with the repo's app templates seeded, deploy/argo applied and the Argo CD secret set. */
export async function startPlatformSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({
    templatesDir: path.join(ROOT, 'deploy', 'templates', 'repos'),
    manifestsDir: path.join(ROOT, 'deploy', 'argo'),
    speed: 20,
    applicationController: { syncDurationMs: 500 },
    ...options,
  });
  sandbox.ctx.store.create(Kinds.Secret, {
    metadata: { name: 'platform-argocd', namespace: 'argo' },
    type: 'Opaque',
    data: {
      username: Buffer.from('admin').toString('base64'),
      password: Buffer.from(sandbox.ctx.config.argocdPassword).toString('base64'),
    },
  });
  return sandbox;
}

/**
 * Submits a deploy/argo WorkflowTemplate through the Argo API with the platform's task labels, as
 * the task service does, and waits for it to complete.
 */
export async function runTemplate(
  sandbox: Sandbox,
  template: string,
  parameters: Record<string, string>,
  task: { app: string; team: string },
): Promise<Workflow> {
  const defaults: Record<string, string> = {
    'git-url': sandbox.urls.git,
    registry: sandbox.ctx.config.registryHost,
    'argocd-server': 'argocd-server.argocd.svc',
  };
  const submitted = await fetch(`${sandbox.urls.argo}/api/v1/workflows/argo/submit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.ctx.config.argoToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceKind: 'WorkflowTemplate',
      resourceName: template,
      submitOptions: {
        generateName: `${template}-`,
        parameters: Object.entries({ ...defaults, ...parameters }).map(([k, v]) => `${k}=${v}`),
        labels: [
          `platform-api/task-type=${template === 'create-app' ? 'create' : template}`,
          `platform-api/app=${task.app}`,
          `platform-api/team=${task.team}`,
          'platform-api/requested-by=alice',
        ].join(','),
      },
    }),
  });
  expect(submitted.status).toBe(200);
  const { metadata } = (await submitted.json()) as Workflow;
  for (let i = 0; i < 1200; i += 1) {
    const wf = sandbox.ctx.store.mustGet(Kinds.Workflow, 'argo', metadata.name) as unknown as Workflow;
    if (wf.metadata.labels?.['workflows.argoproj.io/completed'] === 'true') return wf;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${metadata.name} did not finish`);
}

export const output = (wf: Workflow, name: string): string | undefined =>
  wf.status?.outputs?.parameters?.find((p) => p.name === name)?.value;
