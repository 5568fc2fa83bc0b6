import { expect } from '@jest/globals';
import { Kinds, startSandbox, type Sandbox } from '@platform/sandbox';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.resolve(__dirname, '..', '..');

// Asynchronous: the sandbox's git server runs in this process.
export const git = async (...args: string[]): Promise<string> =>
  (await promisify(execFile)('git', args)).stdout;

const GIT_LOGIN = { username: 'platform', token: 'sandbox-git-token' };

/** A repository's clone URL with the git login in it, for the tests' own clones and pushes. */
export function repoUrl(sandbox: Sandbox, repo: string): string {
  const url = new URL(`${sandbox.urls.git}/${repo}.git`);
  url.username = GIT_LOGIN.username;
  url.password = GIT_LOGIN.token;
  return url.toString();
}

export interface Workflow {
  metadata: { name: string; labels?: Record<string, string> };
  status?: {
    phase?: string;
    message?: string;
    outputs?: { parameters?: Array<{ name: string; value?: string }> };
  };
}

/** A sandbox with the repo's app templates seeded, deploy/argo applied and the Argo CD secret set. */
export async function startPlatformSandbox(): Promise<Sandbox> {
  const sandbox = await startSandbox({
    templatesDir: path.join(ROOT, 'deploy', 'templates', 'repos'),
    manifestsDir: path.join(ROOT, 'deploy', 'argo'),
    speed: 20,
    applicationController: { syncDurationMs: 500 },
    argocdCredentialsSecret: 'platform-argocd',
    // A git server that wants a login, as real ones do: the workflows read it from a Secret.
    gitUsername: GIT_LOGIN.username,
    gitPassword: GIT_LOGIN.token,
    gitCredentialsSecret: 'platform-git',
  });
  return sandbox;
}

/** Submits a WorkflowTemplate through the Argo API, with the sandbox's endpoints as parameters, and waits for it. */
export async function runTemplate(
  sandbox: Sandbox,
  template: string,
  parameters: Record<string, string>,
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

export const output = (wf: Workflow, name: string): string | undefined =>
  wf.status?.outputs?.parameters?.find((p) => p.name === name)?.value;
