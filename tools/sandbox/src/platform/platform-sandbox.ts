import path from 'node:path';
import { Kinds } from '../core/resource-kinds';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';

/**
 * The platform's git user on a platform sandbox's git server: its password, and the personal
 * access token the platform is given (`platform-git` Secret, the task service's GIT_TOKEN).
 */
export const PLATFORM_GIT_LOGIN = {
  username: 'platform',
  password: 'sandbox-git-password',
  token: 'sandbox-git-token',
} as const;

/** The teams a platform sandbox is onboarded for: one git organization and one registry project each. */
export const PLATFORM_TEAMS: readonly string[] = ['payments', 'content'];

/** A workflow once the controller finished it: what the tests read of it. */
export interface FinishedWorkflow {
  metadata: { name: string; labels?: Record<string, string> };
  status?: {
    phase?: string;
    message?: string;
    outputs?: { parameters?: Array<{ name: string; value?: string }> };
  };
}

/**
 * A sandbox set up the way a platform team sets up a cluster for the Platform API (the
 * prerequisites deploy/argo/README.md lists): the app templates of `<deployDir>/templates/repos`
 * as public repositories of the `platform-templates` organization, each team's AppProject and
 * namespaces from the chart `<deployDir>/team`, the WorkflowTemplates of `<deployDir>/argo`
 * applied, the Secrets the workflows read (`platform-argocd` with the workflows' Argo CD account,
 * `platform-git`, and `platform-registry-<team>` per team), Argo CD's repo-creds Secret for everything on the git
 * server (`platform-git-repos`), and a Harbor-style registry with the platform's robots and the
 * nodes' pull credential. Each team ({@link PLATFORM_TEAMS}, or `options.gitOrganizations`) is
 * onboarded once for all three: a private git organization where the platform's git user may
 * create repositories, a private registry project with its robot, and its AppProject and
 * namespaces. Fast simulated time; `options` override any of it.
 */
export function startPlatformSandbox(deployDir: string, options: SandboxOptions = {}): Promise<Sandbox> {
  // One list of teams: each one's git organization and registry project go together.
  const teams = [...(options.gitOrganizations ?? PLATFORM_TEAMS)];
  return startSandbox({
    templatesDir: path.join(deployDir, 'templates', 'repos'),
    manifestsDir: path.join(deployDir, 'argo'),
    argocdCredentialsSecret: 'platform-argocd',
    gitUsername: PLATFORM_GIT_LOGIN.username,
    gitPassword: PLATFORM_GIT_LOGIN.password,
    gitToken: PLATFORM_GIT_LOGIN.token,
    gitCredentialsSecret: 'platform-git',
    gitOrganizations: teams,
    teamChart: path.join(deployDir, 'team'),
    argocdRepoCredsSecret: 'platform-git-repos',
    registryPlatform: true,
    registryTeams: teams,
    speed: 20,
    applicationController: { syncDurationMs: 500 },
    ...options,
  });
}

/**
 * Submits a WorkflowTemplate through the sandbox's Argo API, as the task service does, with the
 * sandbox's own endpoints as the default parameters. Returns the workflow's name.
 */
export async function submitTemplate(
  sandbox: Sandbox,
  template: string,
  parameters: Record<string, string>,
  labels: Record<string, string> = {},
): Promise<string> {
  const defaults: Record<string, string> = {
    'git-url': sandbox.urls.git,
    registry: sandbox.ctx.config.registryHost,
    'argocd-server': 'argocd-server.argocd.svc',
    // What the task service derives for this server: no TLS → --plaintext; TLS with the sandbox's
    // CA, which the argocd image does not trust → --insecure.
    'argocd-tls': sandbox.urls.argocd.startsWith('https:') ? '--insecure' : '--plaintext',
  };
  const pairs = (values: Record<string, string>): string[] =>
    Object.entries(values).map(([k, v]) => `${k}=${v}`);
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
          generateName: `${template}-`,
          parameters: pairs({ ...defaults, ...parameters }),
          labels: pairs(labels).join(','),
        },
      }),
    },
  );
  if (res.status !== 200) throw new Error(`submitting ${template} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { metadata: { name: string } }).metadata.name;
}

/** Waits until the controller marks the workflow completed, and returns it. */
export async function finishedWorkflow(
  sandbox: Sandbox,
  name: string,
  timeoutMs = 120_000,
): Promise<FinishedWorkflow> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const wf = sandbox.ctx.store.mustGet(
      Kinds.Workflow,
      sandbox.ctx.config.argoNamespace,
      name,
    ) as unknown as FinishedWorkflow;
    if (wf.metadata.labels?.['workflows.argoproj.io/completed'] === 'true') return wf;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not finish within ${timeoutMs} ms`);
}

/** Submits a WorkflowTemplate and waits for its workflow to finish. */
export async function runTemplate(
  sandbox: Sandbox,
  template: string,
  parameters: Record<string, string>,
  labels: Record<string, string> = {},
): Promise<FinishedWorkflow> {
  return finishedWorkflow(sandbox, await submitTemplate(sandbox, template, parameters, labels));
}

/** A global output parameter of a finished workflow. */
export function workflowOutput(wf: FinishedWorkflow, name: string): string | undefined {
  return wf.status?.outputs?.parameters?.find((p) => p.name === name)?.value;
}

/**
 * A repository's clone URL (`owner/name`, e.g. `payments/shop`) with the git user's login in it,
 * for tests' own clones and pushes.
 */
export function repoUrl(sandbox: Sandbox, repo: string): string {
  const url = new URL(`${sandbox.urls.git}/${repo}.git`);
  url.username = sandbox.ctx.config.gitUsername;
  url.password = sandbox.ctx.config.gitPassword;
  return url.toString();
}

/** The Authorization header of the git user's access token (or its password when it has none). */
export function gitAuthorization(sandbox: Sandbox): string {
  const { gitUsername, gitPassword, gitToken } = sandbox.ctx.config;
  return gitToken === undefined
    ? `Basic ${Buffer.from(`${gitUsername}:${gitPassword}`).toString('base64')}`
    : `token ${gitToken}`;
}
