// The task service against a sandbox whose Argo Workflows, Argo CD, git and registry servers serve
// HTTPS with the sandbox's own CA, as real ones do with a private CA: the *_CA_FILE settings make
// it trust them; without them every call fails with a 502 and readiness names each upstream.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSandbox, type Sandbox } from '@platform/sandbox';
import { ConfigValidationError } from '@platform/service-runtime';
import {
  LogCapture,
  listenOnRandomPort,
  signTestToken,
  waitForStatus,
  waitUntil,
} from '@platform/service-runtime/testing';
import fs from 'node:fs';
import path from 'node:path';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';
import { sandboxTaskEnv } from './task-env';

interface HealthBody {
  error?: Record<string, { status: string; message?: string }>;
}

describe('task service upstreams over TLS (a sandbox serving HTTPS with its own CA)', () => {
  let sandbox: Sandbox;
  let admin: string;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    // registryPlatform: the service's read-only robot, without which Harbor refuses it anyway.
    sandbox = await startSandbox({
      tls: true,
      gitUsername: 'platform',
      gitPassword: 'git-token',
      registryPlatform: true,
    });
    admin = await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await sandbox.stop();
  });

  async function serviceWith(env: Record<string, string> = {}): Promise<string> {
    const app = await createTaskApp(loadTaskConfig(sandboxTaskEnv(sandbox, env)), {
      logDestination: new LogCapture(),
    });
    apps.push(app);
    return listenOnRandomPort(app);
  }
  const tasks = (base: string): Promise<Response> =>
    fetch(`${base}/task/v1/tasks`, { headers: { authorization: `Bearer ${admin}` } });

  it('serves the Argo servers, git and the registry over https', () => {
    expect([sandbox.urls.argo, sandbox.urls.argocd, sandbox.urls.git, sandbox.urls.registry]).toEqual([
      expect.stringMatching(/^https:\/\//),
      expect.stringMatching(/^https:\/\//),
      expect.stringMatching(/^https:\/\//),
      expect.stringMatching(/^https:\/\//),
    ]);
    expect(sandbox.urls.admin).toMatch(/^http:\/\//);
  });

  it('trusts them through ARGO_CA_FILE, ARGOCD_CA_FILE, GIT_CA_FILE and REGISTRY_CA_FILE: ready, and tasks answer', async () => {
    const env = sandboxTaskEnv(sandbox);
    expect(env).toMatchObject({
      ARGO_CA_FILE: sandbox.caFile,
      ARGOCD_CA_FILE: sandbox.caFile,
      GIT_CA_FILE: sandbox.caFile,
      REGISTRY_CA_FILE: sandbox.caFile,
    });
    const base = await serviceWith();
    await waitForStatus(`${base}/healthz/ready`, 200);
    expect((await tasks(base)).status).toBe(200);
  });

  it('without the CA, a call is 502 with a TLS code (the certificate problem goes to the log), and readiness names each upstream', async () => {
    const base = await serviceWith({
      ARGO_CA_FILE: '',
      ARGOCD_CA_FILE: '',
      GIT_CA_FILE: '',
      REGISTRY_CA_FILE: '',
    });
    const res = await tasks(base);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ARGO_WORKFLOWS_TLS');
    // A caller gets the platform's own words: no upstream address nor what the TLS stack said.
    expect(body.error.message).toContain('Argo Workflows');
    expect(body.error.message).not.toContain(sandbox.urls.argo);
    await waitForStatus(`${base}/healthz/ready`, 503);
    // Its Redis connection may still be on its way (a loaded machine): readiness names Redis too
    // until it is up, which is not what this test is about.
    const health = await waitUntil(async () => {
      const body = (await (await fetch(`${base}/healthz/ready`)).json()) as HealthBody;
      expect(Object.keys(body.error ?? {}).sort()).toEqual(['argo-cd', 'argo-workflows', 'git', 'registry']);
      return body;
    }, 5000);
    for (const check of Object.values(health.error ?? {})) expect(check.message).toMatch(/certificate/);
  });

  it('*_INSECURE_SKIP_TLS_VERIFY still lets development go without the CA', async () => {
    const base = await serviceWith({
      ARGO_CA_FILE: '',
      ARGOCD_CA_FILE: '',
      GIT_CA_FILE: '',
      REGISTRY_CA_FILE: '',
      ARGO_INSECURE_SKIP_TLS_VERIFY: 'true',
      ARGOCD_INSECURE_SKIP_TLS_VERIFY: 'true',
      GIT_INSECURE_SKIP_TLS_VERIFY: 'true',
      REGISTRY_INSECURE_SKIP_TLS_VERIFY: 'true',
    });
    await waitForStatus(`${base}/healthz/ready`, 200);
    expect((await tasks(base)).status).toBe(200);
  });

  it('refuses to start when a CA file cannot be read or holds no certificate, naming each key', () => {
    const notPem = path.join(sandbox.ctx.config.dataDir, 'not-a-ca.txt');
    fs.writeFileSync(notPem, 'hello');
    const start = (): unknown =>
      loadTaskConfig(sandboxTaskEnv(sandbox, { ARGO_CA_FILE: '/nonexistent/ca.crt', GIT_CA_FILE: notPem }));
    expect(start).toThrow(ConfigValidationError);
    try {
      start();
    } catch (error) {
      const { problems } = error as ConfigValidationError;
      expect(problems).toHaveLength(2);
      expect(problems).toEqual(
        expect.arrayContaining([
          {
            key: 'ARGO_CA_FILE',
            problems: [expect.stringMatching(/^ARGO_CA_FILE \(a PEM CA bundle\) cannot be read: ENOENT/)],
          },
          {
            key: 'GIT_CA_FILE',
            problems: [
              `GIT_CA_FILE (a PEM CA bundle) ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
            ],
          },
        ]),
      );
    }
  });
});
