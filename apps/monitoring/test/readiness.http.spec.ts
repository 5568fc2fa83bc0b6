import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSandbox, writeKubeconfig, type Sandbox } from '@platform/sandbox';
import {
  LogCapture,
  listenOnRandomPort,
  TEST_AUTH_ENV,
  TEST_LIMITS_ENV,
  waitForStatus,
} from '@platform/service-runtime/testing';
import fs from 'node:fs';
import path from 'node:path';
import { loadMonitoringConfig } from '../src/config/monitoring-config';
import { createMonitoringApp } from '../src/create-app';
import { upstreamEnv } from './harness';

interface HealthBody {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

describe('monitoring readiness follows its upstreams', () => {
  let sandbox: Sandbox;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await sandbox.stop();
  });
  afterEach(() => sandbox.ctx.faults.clear());

  async function serviceWith(env: Record<string, string> = {}): Promise<string> {
    const app = await createMonitoringApp(
      loadMonitoringConfig({
        ...TEST_AUTH_ENV,
        ...TEST_LIMITS_ENV,
        ...upstreamEnv(sandbox),
        ...env,
      }),
      { logDestination: new LogCapture() },
    );
    apps.push(app);
    return listenOnRandomPort(app);
  }

  const ready = async (base: string): Promise<{ status: number; body: HealthBody }> => {
    const res = await fetch(`${base}/healthz/ready`);
    return { status: res.status, body: (await res.json()) as HealthBody };
  };

  it('is ready when Argo Workflows, Argo CD and Kubernetes answer, and names each check', async () => {
    const base = await serviceWith();
    await waitForStatus(`${base}/healthz/ready`, 200);
    const { body } = await ready(base);
    expect(body.info).toEqual({
      process: { status: 'up' },
      'argo-workflows': { status: 'up' },
      'argo-cd': { status: 'up' },
      kubernetes: { status: 'up' },
    });
  });

  it('turns 503 naming Argo Workflows and why while it answers 503, and ready again once it recovers', async () => {
    const base = await serviceWith();
    await waitForStatus(`${base}/healthz/ready`, 200);
    sandbox.ctx.faults.set('argo', { errorRate: 1, errorCode: 503 });
    await waitForStatus(`${base}/healthz/ready`, 503, 10_000);
    const { body } = await ready(base);
    expect(body.error).toEqual({
      'argo-workflows': { status: 'down', message: expect.stringMatching(/injected|unavailable/i) },
    });
    expect(body.info).toMatchObject({ 'argo-cd': { status: 'up' }, kubernetes: { status: 'up' } });
    sandbox.ctx.faults.clear();
    await waitForStatus(`${base}/healthz/ready`, 200, 10_000);
  });

  it('names a Kubernetes API nobody answers at, with the connection error', async () => {
    const kubeconfig = path.join(sandbox.ctx.config.dataDir, 'kubeconfig-nowhere');
    const ca = fs.readFileSync(sandbox.caFile, 'utf8');
    writeKubeconfig(kubeconfig, 'https://127.0.0.1:1', sandbox.kubeToken, ca);
    const base = await serviceWith({ KUBECONFIG: kubeconfig });
    await waitForStatus(`${base}/healthz/ready`, 503);
    const { body } = await ready(base);
    expect(body.error).toEqual({
      kubernetes: { status: 'down', message: expect.stringContaining('ECONNREFUSED') },
    });
  });

  it('names Argo CD when it refuses the login', async () => {
    const base = await serviceWith({ ARGOCD_PASSWORD: 'not-the-password' });
    await waitForStatus(`${base}/healthz/ready`, 503);
    const { body } = await ready(base);
    expect(Object.keys(body.error ?? {})).toEqual(['argo-cd']);
    expect(body.error?.['argo-cd']?.message).toBeTruthy();
  });

  it('probes an upstream once for a burst of readiness requests (cached for a few seconds)', async () => {
    const base = await serviceWith();
    await waitForStatus(`${base}/healthz/ready`, 200);
    // A fault now is not seen while the cached outcome is fresh: the burst did not reach Argo.
    sandbox.ctx.faults.set('argo', { errorRate: 1, errorCode: 503 });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, async () => (await fetch(`${base}/healthz/ready`)).status),
    );
    expect(statuses).toEqual(statuses.map(() => 200));
  });
});
