import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSandbox, type Sandbox, type SandboxOptions } from '@platform/sandbox';
import { LogCapture, listenOnRandomPort, waitForStatus } from '@platform/service-runtime/testing';
import path from 'node:path';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';
import { sandboxTaskEnv } from './task-env';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The git login the sandbox's git server wants, as real ones do; workflows read it from a Secret. */
export const GIT_LOGIN = { username: 'platform', token: 'sandbox-git-token' };

/** A sandbox as a cluster the task service runs against: the repo's templates, WorkflowTemplates and Secrets. */
export function startTaskSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    templatesDir: path.join(ROOT, 'deploy', 'templates', 'repos'),
    manifestsDir: path.join(ROOT, 'deploy', 'argo'),
    argocdCredentialsSecret: 'platform-argocd',
    gitUsername: GIT_LOGIN.username,
    gitPassword: GIT_LOGIN.token,
    gitCredentialsSecret: 'platform-git',
    speed: 20,
    ...options,
  });
}

/** The task service against `sandbox`, listening, and ready (Redis connected) as the kubelet would wait. */
export async function startTaskApp(sandbox: Sandbox): Promise<{ app: NestFastifyApplication; base: string }> {
  const app = await createTaskApp(loadTaskConfig(sandboxTaskEnv(sandbox)), {
    logDestination: new LogCapture(),
  });
  const base = await listenOnRandomPort(app);
  await waitForStatus(`${base}/healthz/ready`, 200);
  return { app, base };
}

/** A repository's clone URL with the git login in it. */
export function repoUrl(sandbox: Sandbox, repo: string): string {
  const url = new URL(`${sandbox.urls.git}/${repo}.git`);
  url.username = GIT_LOGIN.username;
  url.password = GIT_LOGIN.token;
  return url.toString();
}

/** The Authorization header value of the git login. */
export function gitAuthorization(): string {
  return `Basic ${Buffer.from(`${GIT_LOGIN.username}:${GIT_LOGIN.token}`).toString('base64')}`;
}
