import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startPlatformSandbox, type Sandbox, type SandboxOptions } from '@platform/sandbox';
import { LogCapture, listenOnRandomPort, waitForStatus } from '@platform/service-runtime/testing';
import path from 'node:path';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';
import { sandboxTaskEnv } from './task-env';

export { gitAuthorization, repoUrl } from '@platform/sandbox';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The repo's deploy/ as a cluster the task service runs against (see startPlatformSandbox). */
export function startTaskSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startPlatformSandbox(path.join(ROOT, 'deploy'), options);
}

/** The task service against `sandbox`, listening, and ready (Redis connected) as the kubelet would wait. */
export async function startTaskApp(
  sandbox: Sandbox,
  env: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; base: string }> {
  const app = await createTaskApp(loadTaskConfig({ ...sandboxTaskEnv(sandbox), ...env }), {
    logDestination: new LogCapture(),
  });
  const base = await listenOnRandomPort(app);
  await waitForStatus(`${base}/healthz/ready`, 200);
  return { app, base };
}
