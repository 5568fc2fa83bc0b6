import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Application } from '@platform/argo-client';
import {
  argoUpstreamEnv,
  runTemplate,
  startPlatformSandbox,
  type Sandbox,
  type SandboxOptions,
} from '@platform/sandbox';

export { submitTemplate } from '@platform/sandbox';
import {
  LogCapture,
  listenOnRandomPort,
  signTestToken,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
} from '@platform/service-runtime/testing';
import path from 'node:path';
import { loadMonitoringConfig } from '../src/config/monitoring-config';
import { createMonitoringApp } from '../src/create-app';
import { TopicHub } from '../src/streams/topic-hub';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The settings that point the monitoring service at a sandbox's Argo Workflows, Argo CD and Kubernetes. */
export function upstreamEnv(sandbox: Sandbox): Record<string, string> {
  return { ...argoUpstreamEnv(sandbox), KUBECONFIG: sandbox.kubeconfigPath };
}

export interface Platform {
  sandbox: Sandbox;
  app: NestFastifyApplication;
  base: string;
  hub: TopicHub;
  /** Tokens: alice is in team payments, bob in content, root is an admin. */
  tokens: { alice: string; bob: string; root: string };
  stop(): Promise<void>;
}

export async function startPlatform(
  options: { sandbox?: SandboxOptions; env?: Record<string, string> } = {},
): Promise<Platform> {
  const sandbox = await startPlatformSandbox(path.join(ROOT, 'deploy'), {
    keepaliveMs: 500,
    ...options.sandbox,
  });
  const app = await createMonitoringApp(
    loadMonitoringConfig({
      ...TEST_AUTH_ENV,
      ...TEST_LIMITS_ENV,
      ...upstreamEnv(sandbox),
      STREAM_GRACE_MS: '300',
      UPSTREAM_IDLE_TIMEOUT_MS: '2000',
      ...options.env,
    }),
    { logDestination: new LogCapture() },
  );
  const base = await listenOnRandomPort(app);
  return {
    sandbox,
    app,
    base,
    hub: app.get(TopicHub),
    tokens: {
      alice: await signTestToken({ sub: 'alice', teams: ['payments'] }),
      bob: await signTestToken({ sub: 'bob', teams: ['content'] }),
      root: await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] }),
    },
    stop: async () => {
      await app.close();
      await sandbox.stop();
    },
  };
}

export function taskLabels(app: string, team: string, type: string): Record<string, string> {
  return {
    'platform-api/app': app,
    'platform-api/team': team,
    'platform-api/task-type': type,
    'platform-api/requested-by': 'alice',
  };
}

/** Resolves once `condition` holds (polling), or fails after `timeoutMs` saying what was awaited. */
export async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs a WorkflowTemplate to its end; returns the workflow's final phase. */
export async function runToEnd(
  sandbox: Sandbox,
  template: string,
  parameters: Record<string, string>,
  labels: Record<string, string>,
): Promise<{ name: string; phase: string }> {
  const wf = await runTemplate(sandbox, template, parameters, labels);
  return { name: wf.metadata.name, phase: wf.status?.phase ?? '' };
}

/** A bearer token of the sandbox's Argo CD (its admin login). */
export async function argocdToken(sandbox: Sandbox): Promise<string> {
  const res = await fetch(`${sandbox.urls.argocd}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: sandbox.ctx.config.argocdUsername,
      password: sandbox.ctx.config.argocdPassword,
    }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** Argo CD's own view of an app's status, read through its API: the truth a stream must end at. */
export async function argocdApp(sandbox: Sandbox, app: string, query = ''): Promise<Application> {
  const res = await fetch(`${sandbox.urls.argocd}/api/v1/applications/${app}${query}`, {
    headers: { authorization: `Bearer ${await argocdToken(sandbox)}` },
  });
  if (res.status !== 200) throw new Error(`GET application ${app}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Application;
}
