import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSandbox, type Sandbox } from '@platform/sandbox';
import { LogCapture, listenOnRandomPort, waitForStatus } from '@platform/service-runtime/testing';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';
import { sandboxTaskEnv } from './task-env';

interface HealthBody {
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

describe('task readiness follows Redis and its upstreams', () => {
  let sandbox: Sandbox;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({
      gitUsername: 'platform',
      gitPassword: 'pw',
      gitToken: 'git-token',
      registryPlatform: true,
    });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await sandbox.stop();
  });
  afterEach(() => sandbox.ctx.faults.clear());

  async function serviceWith(env: Record<string, string> = {}): Promise<string> {
    const app = await createTaskApp(loadTaskConfig(sandboxTaskEnv(sandbox, env)), {
      logDestination: new LogCapture(),
    });
    apps.push(app);
    return listenOnRandomPort(app);
  }

  const health = async (base: string): Promise<HealthBody> =>
    (await (await fetch(`${base}/healthz/ready`)).json()) as HealthBody;

  it('is ready when Redis, Argo Workflows, Argo CD, the git server and the registry answer', async () => {
    const base = await serviceWith();
    await waitForStatus(`${base}/healthz/ready`, 200);
    expect(Object.keys((await health(base)).info ?? {})).toEqual([
      'process',
      'redis',
      'argo-workflows',
      'argo-cd',
      'git',
      'registry',
    ]);
  });

  it('names the registry while it answers 503, and when it refuses the read-only login', async () => {
    const base = await serviceWith();
    await waitForStatus(`${base}/healthz/ready`, 200);
    sandbox.ctx.faults.set('registry', { errorRate: 1, errorCode: 503 });
    await waitForStatus(`${base}/healthz/ready`, 503, 10_000);
    expect((await health(base)).error).toEqual({
      registry: { status: 'down', message: expect.stringContaining('503') },
    });
    sandbox.ctx.faults.clear();
    const refused = await serviceWith({ REGISTRY_PASSWORD: 'wrong' });
    await waitForStatus(`${refused}/healthz/ready`, 503);
    expect((await health(refused)).error).toEqual({
      registry: {
        status: 'down',
        message: expect.stringMatching(/refused (the login of )?robot\$platform-api/),
      },
    });
  });

  it('turns 503 naming the git server while it answers 503, and ready again once it recovers', async () => {
    const base = await serviceWith();
    await waitForStatus(`${base}/healthz/ready`, 200);
    sandbox.ctx.faults.set('git', { errorRate: 1, errorCode: 503 });
    await waitForStatus(`${base}/healthz/ready`, 503, 10_000);
    expect((await health(base)).error).toEqual({
      git: { status: 'down', message: expect.any(String) },
    });
    sandbox.ctx.faults.clear();
    await waitForStatus(`${base}/healthz/ready`, 200, 10_000);
  });

  it('names Argo Workflows when nothing answers at its URL, with the connection error', async () => {
    const base = await serviceWith({ ARGO_SERVER_URL: 'http://127.0.0.1:1' });
    await waitForStatus(`${base}/healthz/ready`, 503);
    expect((await health(base)).error).toEqual({
      'argo-workflows': { status: 'down', message: expect.stringContaining('ECONNREFUSED') },
    });
  });

  it('names Argo Workflows when it refuses the token', async () => {
    const base = await serviceWith({ ARGO_TOKEN: 'not-the-token' });
    await waitForStatus(`${base}/healthz/ready`, 503);
    expect((await health(base)).error).toEqual({
      'argo-workflows': { status: 'down', message: expect.stringContaining('token not valid') },
    });
  });
});
