import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Task } from '@platform/domain';
import { eventually, Kinds, type Sandbox } from '@platform/sandbox';
import { signTestToken } from '@platform/service-runtime/testing';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoUrl, startTaskApp, startTaskSandbox } from './task-sandbox';

// Asynchronous: the sandbox's git server runs in this process.
const git = async (...args: string[]): Promise<string> => (await promisify(execFile)('git', args)).stdout;

const ENDED = new Set(['Succeeded', 'Failed', 'Cancelled']);

interface AppStatus {
  sync?: { status?: string; revision?: string };
  reconciledAt?: string;
  health?: { status?: string };
  summary?: { images?: string[] };
}

/**
 * What `npm start` seeds is what a newcomer builds first: the seeded apps are apps of catalog
 * templates with real repositories, so the walkthrough's build and deploy of app-00001 work.
 * Seeded the way start.mjs seeds them: through the sandbox's admin API, with their repositories.
 */
describe('seeded apps through the task API: build and deploy app-00001', () => {
  let sandbox: Sandbox;
  let app: NestFastifyApplication;
  let base: string;
  let token: string;
  let seededAt: number;

  beforeAll(async () => {
    sandbox = await startTaskSandbox();
    seededAt = Date.now() - 1000;
    const seeded = await fetch(`${sandbox.urls.admin}/admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apps: 3, teams: ['payments'], gitRepos: 3 }),
    });
    expect(seeded.status).toBe(200);
    ({ app, base } = await startTaskApp(sandbox));
    token = await signTestToken({ sub: 'alice', teams: ['payments'] });
  });
  afterAll(async () => {
    await app.close();
    await sandbox.stop();
  });

  const submit = async (route: string, body: unknown): Promise<Task> => {
    const res = await fetch(`${base}/task/v1${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as Task;
  };
  const ended = async (id: string): Promise<Task> => {
    for (let i = 0; i < 1200; i += 1) {
      const res = await fetch(`${base}/task/v1/tasks/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const task = (await res.json()) as Task;
      if (ENDED.has(task.phase)) return task;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`task ${id} did not end`);
  };
  const status = (name: string): AppStatus =>
    sandbox.ctx.store.mustGet(Kinds.Application, sandbox.ctx.config.argocdNamespace, name).status ?? {};

  it('are apps of catalog templates whose Applications git agrees with: Synced and Healthy', async () => {
    const templates = ['app-00001', 'app-00002', 'app-00003'].map(
      (name) =>
        sandbox.ctx.store.mustGet(Kinds.Application, sandbox.ctx.config.argocdNamespace, `${name}-dev`)
          .metadata.labels?.['platform-api/template'],
    );
    expect(templates).toEqual(['node-service', 'go-service', 'node-service']);
    // The controller compared them with their manifests repository, as any Application, and
    // found what runs to be what git says (the seed wrote a reconciledAt in the past).
    await eventually(() => {
      for (const name of ['app-00001-dev', 'app-00002-dev']) {
        expect(Date.parse(status(name).reconciledAt ?? '')).toBeGreaterThan(seededAt);
      }
      expect(status('app-00001-dev')).toMatchObject({
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
      });
      expect(status('app-00002-dev')).toMatchObject({
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
      });
    }, 30_000);
  });

  let built: Task;

  it('builds app-00001 from its source repository: Succeeded, with an image and its digest', async () => {
    built = await ended((await submit('/apps/app-00001/builds', { ref: 'main' })).id);
    expect(built.phase).toBe('Succeeded');
    const result = built.result as { image: string; digest: string; commit: string };
    expect(result).toEqual({
      image: expect.stringMatching(/^registry\.sandbox\.local\/payments\/app-00001:[0-9a-f]{12}$/),
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(sandbox.ctx.registry.find(result.image)?.digest).toBe(result.digest);
  }, 120_000);

  it('deploys that build to dev: the Application runs the new image, Synced and Healthy', async () => {
    const { image, digest } = built.result as { image: string; digest: string };
    const tag = image.slice(image.lastIndexOf(':') + 1);
    const deployed = await ended(
      (await submit('/apps/app-00001/deployments', { environment: 'dev', tag })).id,
    );
    expect(deployed.phase).toBe('Succeeded');
    await eventually(() => {
      expect(status('app-00001-dev')).toMatchObject({
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
        // cd pins the digest it deployed.
        summary: { images: [`${image.slice(0, image.lastIndexOf(':'))}@${digest}`] },
      });
    }, 30_000);
  }, 120_000);

  // The chart's progressDeadlineSeconds (240) is under cd's `argocd app wait --health --timeout
  // 300`: pods that cannot start turn the rollout Degraded first, and the wait stops saying so.
  it('fails a deploy whose pods crash-loop when the rollout passes its deadline, naming it; the old pod keeps serving', async () => {
    const manifests = fs.mkdtempSync(path.join(os.tmpdir(), 'app-00001-manifests-'));
    await git('clone', '-q', repoUrl(sandbox, 'payments/app-00001-manifests'), manifests);
    // The pod simulator's stand-in for an image whose process exits at start.
    fs.appendFileSync(path.join(manifests, 'chart', 'values-dev.yaml'), 'env:\n  SANDBOX_CRASH: "true"\n');
    const commit = (...args: string[]) =>
      git('-C', manifests, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args);
    await commit('commit', '-qam', 'a setting the app cannot start with');
    await git('-C', manifests, 'push', '-q', 'origin', 'HEAD:main');

    const { image } = built.result as { image: string };
    const tag = image.slice(image.lastIndexOf(':') + 1);
    const failed = await ended((await submit('/apps/app-00001/deployments', { environment: 'dev', tag })).id);
    expect(failed.phase).toBe('Failed');
    expect(failed.error?.step).toBe('sync');
    expect(failed.error?.message).toContain(
      "application 'app-00001-dev' health state has transitioned from Progressing to Degraded",
    );
    expect(status('app-00001-dev').health?.status).toBe('Degraded');
    // The rolling update never took the old replica down: it is still available.
    const deployment = sandbox.ctx.store.mustGet(Kinds.Deployment, 'payments-dev', 'app-00001');
    expect(deployment.status).toMatchObject({ replicas: 2, updatedReplicas: 1, availableReplicas: 1 });
  }, 120_000);
});
