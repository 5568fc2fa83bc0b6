import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Deployment, Task } from '@platform/domain';
import { eventually, Kinds, LabelSelector, type Sandbox } from '@platform/sandbox';
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

/**
 * A portal's whole journey through the HTTP API against the sandbox, with real git: create an app
 * from a template, build it, deploy it — then the failures a user meets (bad ref, cancel, retry).
 */
describe('task API end to end: create → build → deploy', () => {
  let sandbox: Sandbox;
  let app: NestFastifyApplication;
  let base: string;
  let token: string;

  beforeAll(async () => {
    sandbox = await startTaskSandbox();
    ({ app, base } = await startTaskApp(sandbox));
    token = await signTestToken({ sub: 'alice', teams: ['payments'] });
  });
  afterAll(async () => {
    await app.close();
    await sandbox.stop();
  });

  const call = async (
    method: 'GET' | 'POST',
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; task: Task; replayed: boolean }> => {
    const res = await fetch(`${base}/task/v1${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const task = (await res.json()) as Task;
    return { status: res.status, task, replayed: res.headers.get('idempotent-replayed') === 'true' };
  };
  const submit = async (route: string, body: unknown): Promise<Task> => {
    const { status, task } = await call('POST', route, body);
    expect(status).toBe(202);
    return task;
  };
  /** Polls the task as the portal would until it ends. */
  const ended = async (id: string): Promise<Task> => {
    for (let i = 0; i < 1200; i += 1) {
      const { task } = await call('GET', `/tasks/${id}`);
      if (ENDED.has(task.phase)) return task;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`task ${id} did not end`);
  };
  /** A clone of the payments team's repository `repo`. */
  const clone = async (repo: string): Promise<string> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${repo}-`));
    await git('clone', '-q', repoUrl(sandbox, `payments/${repo}`), dir);
    return dir;
  };

  let tag = '';

  it('creates the app: both repos rendered with its name, the Argo CD app Healthy', async () => {
    const created = await ended(
      (
        await submit('/apps', {
          name: 'shop',
          team: 'payments',
          template: 'go-service',
          parameters: { port: 9090 },
        })
      ).id,
    );
    expect({ phase: created.phase, error: created.error }).toEqual({ phase: 'Succeeded', error: null });
    expect(created.progress).toEqual({ done: created.steps.length, total: created.steps.length });
    expect(created.steps.map((s) => s.name)).toEqual([
      'create-repos',
      'push-source',
      'build',
      'push-manifests',
      'create-argocd-app',
    ]);

    const source = await clone('shop');
    const manifests = await clone('shop-manifests');
    expect(created.result).toEqual({
      sourceRepoUrl: `${sandbox.urls.git}/payments/shop.git`,
      sourceCommit: (await git('-C', source, 'rev-parse', 'HEAD')).trim(),
      manifestsRepoUrl: `${sandbox.urls.git}/payments/shop-manifests.git`,
      manifestsCommit: (await git('-C', manifests, 'rev-parse', 'HEAD')).trim(),
      argocdApp: 'shop-dev',
    });
    expect(fs.readFileSync(path.join(source, 'go.mod'), 'utf8')).toContain('shop');
    expect(fs.readFileSync(path.join(manifests, 'chart', 'values.yaml'), 'utf8')).toMatch(/shop/);
    expect(fs.readFileSync(path.join(manifests, 'chart', 'values.yaml'), 'utf8')).toMatch(/9090/);

    // One Application per app and environment: the first one, <app>-<environment>.
    const application = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop-dev') as unknown as {
      metadata: { labels: Record<string, string> };
      status: { health: { status: string }; sync: { status: string } };
    };
    expect(application.metadata.labels).toEqual({
      'platform-api/app': 'shop',
      'platform-api/team': 'payments',
      'platform-api/environment': 'dev',
      'platform-api/template': 'go-service',
    });
    expect(application.status.health.status).toBe('Healthy');
    expect(application.status.sync.status).toBe('Synced');
  });

  it('builds it: the image and its digest are the result', async () => {
    const work = await clone('shop');
    fs.appendFileSync(path.join(work, 'main.go'), '\n// v2\n');
    await git('-C', work, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qam', 'v2');
    await git('-C', work, 'push', '-q', 'origin', 'HEAD:main');
    const commit = (await git('-C', work, 'rev-parse', 'HEAD')).trim();

    const built = await ended((await submit('/apps/shop/builds', { ref: 'main' })).id);
    expect(built.phase).toBe('Succeeded');
    tag = commit.slice(0, 12);
    const image = `${sandbox.ctx.config.registryHost}/payments/shop:${tag}`;
    expect(built.result).toEqual({ image, digest: sandbox.ctx.registry.find(image)?.digest, commit });
    expect(built.result).toHaveProperty('digest', expect.stringMatching(/^sha256:[0-9a-f]{64}$/));
    // The task service chose nothing but the team: the workflow picked the team's own registry
    // robot from it, and no step of it got a Kubernetes token.
    const pods = sandbox.ctx.store
      .list(Kinds.Pod, { namespace: sandbox.ctx.config.argoNamespace })
      .items.filter((pod) => pod.metadata.labels?.['workflows.argoproj.io/workflow'] === built.id);
    const secrets = pods.flatMap((pod) =>
      ((pod.spec as { volumes?: Array<{ secret?: { secretName?: string } }> }).volumes ?? []).map(
        (volume) => volume.secret?.secretName,
      ),
    );
    expect(secrets).toContain('platform-registry-payments');
    expect(secrets.filter((name) => name?.startsWith('platform-registry'))).toEqual([
      'platform-registry-payments',
    ]);
    expect(
      pods.map(
        (pod) => (pod.spec as { automountServiceAccountToken?: boolean }).automountServiceAccountToken,
      ),
    ).toEqual(pods.map(() => false));
  });

  it('deploys it: values-dev.yaml gets the tag with its comments, the pods run the image', async () => {
    const deployed = await ended((await submit('/apps/shop/deployments', { environment: 'dev', tag })).id);
    expect(deployed.phase).toBe('Succeeded');
    const manifests = await clone('shop-manifests');
    const image = `${sandbox.ctx.config.registryHost}/payments/shop:${tag}`;
    const digest = sandbox.ctx.registry.find(image)?.digest ?? '';
    // The digest goes in after the tag (values files from before digests have no such key).
    expect(fs.readFileSync(path.join(manifests, 'chart', 'values-dev.yaml'), 'utf8')).toBe(
      `# dev environment of shop.\nreplicaCount: 1\nimage:\n  # The image the cd workflow deployed here last.\n  tag: "${tag}"\n  digest: "${digest}"\n`,
    );
    const manifestsCommit = (await git('-C', manifests, 'rev-parse', 'HEAD')).trim();
    // What the deployment history reads back: who asked, which task, which image.
    expect(await git('-C', manifests, 'log', '-1', '--format=%B')).toBe(
      `Deploy shop ${tag} to dev\n\nPlatform-Environment: dev\nPlatform-Image: ${tag}\n` +
        `Platform-Image-Digest: ${digest}\nPlatform-Reason: deploy\nPlatform-Origin:\n` +
        `Platform-Requested-By: alice\nPlatform-Task: ${deployed.id}\n\n`,
    );
    expect(deployed.result).toEqual({
      environment: 'dev',
      image,
      // What the registry had for the tag when the deploy was accepted: the build's digest.
      digest,
      manifestsCommit,
      syncedRevision: manifestsCommit,
      health: 'Healthy',
    });
    // Found by the platform label the chart put on the pods, as the monitoring service finds them.
    const running = sandbox.ctx.store
      .list(Kinds.Pod, {
        namespace: 'payments-dev',
        labelSelector: LabelSelector.parse('platform-api/app=shop'),
      })
      .items.filter((p) => (p.status as { phase?: string }).phase === 'Running')
      .map((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image);
    // Pinned by digest: a tag moved later changes nothing that runs.
    expect(running).toEqual([`${sandbox.ctx.config.registryHost}/payments/shop@${digest}`]);
  });

  it('a failed first deploy to an environment removes the Application it provisioned', async () => {
    // Without values-prod.yaml the deploy fails after its provision step created shop-prod.
    const manifests = await clone('shop-manifests');
    const commit = (...args: string[]) =>
      git('-C', manifests, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args);
    await commit('rm', '-q', 'chart/values-prod.yaml');
    await commit('commit', '-qm', 'no prod values');
    await git('-C', manifests, 'push', '-q', 'origin', 'HEAD:main');

    const failed = await ended((await submit('/apps/shop/deployments', { environment: 'prod', tag })).id);
    expect(failed.phase).toBe('Failed');
    expect(failed.error?.step).toBe('update-manifests');
    // The exit handler waited (`argocd app delete --wait`) until Argo CD had deleted it.
    expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', 'shop-prod')).toBeUndefined();

    await commit('revert', '--no-edit', 'HEAD');
    await git('-C', manifests, 'push', '-q', 'origin', 'HEAD:main');
  });

  it('deploys to a second environment: its first deploy provisions <app>-prod in the same task', async () => {
    const deployed = await ended((await submit('/apps/shop/deployments', { environment: 'prod', tag })).id);
    expect({ phase: deployed.phase, error: deployed.error }).toEqual({ phase: 'Succeeded', error: null });
    // Skipped: the approval (prod is not protected here) and the exit handler's step (only a
    // failed deploy removes what it provisioned).
    expect(deployed.steps.map((s) => `${s.name} ${s.phase}`).sort()).toEqual([
      'approval Skipped',
      'provision Succeeded',
      'remove-provisioned Skipped',
      'report Succeeded',
      'sync Succeeded',
      'update-manifests Succeeded',
      'verify Succeeded',
    ]);
    expect(deployed.result).toMatchObject({ environment: 'prod', health: 'Healthy' });
    const application = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop-prod') as unknown as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: { destination: { namespace: string }; source: { helm: { valueFiles: string[] } } };
    };
    expect(application.metadata.labels).toEqual({
      'platform-api/app': 'shop',
      'platform-api/team': 'payments',
      'platform-api/environment': 'prod',
      'platform-api/template': 'go-service',
    });
    expect(application.metadata.annotations['platform-api/provisioned-by']).toBe(deployed.id);
    expect(application.spec.destination.namespace).toBe('payments-prod');
    expect(application.spec.source.helm.valueFiles).toEqual(['values.yaml', 'values-prod.yaml']);
    const running = sandbox.ctx.store
      .list(Kinds.Pod, {
        namespace: 'payments-prod',
        labelSelector: LabelSelector.parse('platform-api/app=shop'),
      })
      .items.filter((p) => (p.status as { phase?: string }).phase === 'Running');
    // values-prod.yaml asks for 3 replicas.
    expect(running).toHaveLength(3);
    // dev is untouched: still its own Application.
    expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', 'shop-dev')).toBeDefined();
  });

  const get = async <T>(route: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${base}/task/v1${route}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const post = async <T>(route: string, body: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${base}/task/v1${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  /** The images the app's running pods of an environment were created with. */
  const runningImages = (environment: string): string[] => [
    ...new Set(
      sandbox.ctx.store
        .list(Kinds.Pod, {
          namespace: `payments-${environment}`,
          labelSelector: LabelSelector.parse('platform-api/app=shop'),
        })
        .items.filter(
          (p) =>
            (p.status as { phase?: string }).phase === 'Running' &&
            p.metadata.deletionTimestamp === undefined,
        )
        .map((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image ?? ''),
    ),
  ];
  const repository = (): string => `${sandbox.ctx.config.registryHost}/payments/shop`;
  /** Builds a new commit of the app's source; its tag and digest. */
  const buildNew = async (line: string): Promise<{ tag: string; digest: string }> => {
    const work = await clone('shop');
    fs.appendFileSync(path.join(work, 'main.go'), `\n// ${line}\n`);
    await git('-C', work, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qam', line);
    await git('-C', work, 'push', '-q', 'origin', 'HEAD:main');
    const built = await ended((await submit('/apps/shop/builds', { ref: 'main' })).id);
    expect(built.phase).toBe('Succeeded');
    const result = built.result as { image: string; digest: string };
    return { tag: result.image.split(':').at(-1) ?? '', digest: result.digest };
  };
  let firstProdDeploy = '';
  /** Retries an async check until it passes, then returns; rethrows its last failure at the deadline. */
  const until = async (check: () => Promise<void>, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await check();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  const argocdAdminToken = async (): Promise<string> => {
    const res = await fetch(`${sandbox.urls.argocd}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: sandbox.ctx.config.argocdUsername,
        password: sandbox.ctx.config.argocdPassword,
      }),
    });
    return ((await res.json()) as { token: string }).token;
  };

  it("lists each environment's deployment history from the manifests repository", async () => {
    const prod = await get<{ items: Deployment[] }>('/apps/shop/deployments?environment=prod');
    expect(prod.status).toBe(200);
    const digest = sandbox.ctx.registry.find(`${repository()}:${tag}`)?.digest;
    expect(prod.body.items[0]).toMatchObject({
      environment: 'prod',
      reason: 'deploy',
      image: `${repository()}:${tag}`,
      tag,
      digest,
      origin: null,
      requestedBy: 'alice',
      summary: `Deploy shop ${tag} to prod`,
    });
    firstProdDeploy = prod.body.items[0]?.task ?? '';
    expect(firstProdDeploy).toMatch(/^shop-cd-/);
    // All environments, newest first; create-app's first render is there, as a change not made by a deploy.
    const all = (await get<{ items: Deployment[] }>('/apps/shop/deployments')).body.items;
    expect(all).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ environment: 'dev', reason: 'deploy', tag }),
        expect.objectContaining({ environment: 'dev', reason: null, image: null, requestedBy: null }),
        expect.objectContaining({ environment: 'prod', reason: 'deploy', tag }),
      ]),
    );
    const times = all.map((d) => d.committedAt);
    expect(times).toEqual([...times].sort().reverse());
    const missing = await get<{ error: { code: string; message: string } }>(
      '/apps/shop/deployments?environment=qa',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ENVIRONMENT_NOT_FOUND');
  });

  it('promotes to prod the digest dev runs, even after its tag was moved in the registry', async () => {
    const next = await buildNew('v3');
    expect(
      (await ended((await submit('/apps/shop/deployments', { environment: 'dev', tag: next.tag })).id)).phase,
    ).toBe('Succeeded');
    // Someone pushes another image under the same tag: what dev runs is still the first digest.
    const moved = sandbox.ctx.registry.push('payments/shop', next.tag, 'another image under the same tag');
    expect(moved.digest).not.toBe(next.digest);

    const { status, body } = await post<Task>('/apps/shop/promotions', { from: 'dev', to: 'prod' });
    expect(status).toBe(202);
    const promoted = await ended(body.id);
    expect({ phase: promoted.phase, error: promoted.error }).toEqual({ phase: 'Succeeded', error: null });
    expect(promoted.result).toMatchObject({ environment: 'prod', digest: next.digest });
    expect(runningImages('prod')).toEqual([`${repository()}@${next.digest}`]);
    const history = await get<{ items: Deployment[] }>('/apps/shop/deployments?environment=prod&limit=1');
    expect(history.body.items).toEqual([
      expect.objectContaining({
        reason: 'promotion',
        origin: 'dev',
        tag: next.tag,
        digest: next.digest,
        task: promoted.id,
      }),
    ]);
  }, 180_000);

  it('refuses a promotion from an environment that is not Synced and Healthy, and one to itself', async () => {
    const same = await post<{ error: { code: string } }>('/apps/shop/promotions', { from: 'dev', to: 'dev' });
    expect(same.status).toBe(400);
    // A change to dev's values that nobody synced: dev is OutOfSync.
    const manifests = await clone('shop-manifests');
    const file = path.join(manifests, 'chart', 'values-dev.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/replicaCount: \d+/, 'replicaCount: 2'));
    const commit = (...args: string[]) =>
      git('-C', manifests, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args);
    await commit('commit', '-qam', 'two replicas, not synced');
    await git('-C', manifests, 'push', '-q', 'origin', 'HEAD:main');
    await until(async () => {
      const refused = await post<{ error: { code: string; message: string; details: unknown } }>(
        '/apps/shop/promotions',
        { from: 'dev', to: 'prod' },
      );
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual({
        code: 'SOURCE_NOT_READY',
        message:
          'cannot promote app "shop" from dev: it is OutOfSync and Healthy; a promotion takes what runs in an environment that is Synced and Healthy',
        details: { app: 'shop', environment: 'dev', sync: 'OutOfSync', health: 'Healthy' },
      });
    }, 30_000);
    await commit('revert', '--no-edit', 'HEAD');
    await git('-C', manifests, 'push', '-q', 'origin', 'HEAD:main');
  });

  it('rolls prod back with a new commit restoring an earlier deploy; later syncs keep it', async () => {
    const unknown = await post<{ error: { code: string } }>('/apps/shop/rollbacks', {
      environment: 'prod',
      to: 'shop-cd-nope',
    });
    expect({ status: unknown.status, code: unknown.body.error.code }).toEqual({
      status: 404,
      code: 'DEPLOYMENT_NOT_FOUND',
    });

    const { status, body } = await post<Task>('/apps/shop/rollbacks', {
      environment: 'prod',
      to: firstProdDeploy,
    });
    expect(status).toBe(202);
    const rolledBack = await ended(body.id);
    expect({ phase: rolledBack.phase, error: rolledBack.error }).toEqual({ phase: 'Succeeded', error: null });
    const firstDigest = sandbox.ctx.registry.find(`${repository()}:${tag}`)?.digest;
    expect(runningImages('prod')).toEqual([`${repository()}@${firstDigest}`]);
    const manifests = await clone('shop-manifests');
    expect((await git('-C', manifests, 'log', '-1', '--format=%s')).trim()).toMatch(
      new RegExp(`^Roll back shop in prod to ${tag} \\(deploy [0-9a-f]{12}\\)$`),
    );
    // Two more syncs, as auto-sync would run them: git says the rolled-back image, so it stays.
    for (let i = 0; i < 2; i += 1) {
      const synced = await fetch(`${sandbox.urls.argocd}/api/v1/applications/shop-prod/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await argocdAdminToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prune: true }),
      });
      expect(synced.status).toBe(200);
      await eventually(() => {
        const app = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop-prod') as unknown as {
          status: { operationState?: { phase: string }; sync: { status: string } };
        };
        expect(app.status.operationState?.phase).toBe('Succeeded');
      });
    }
    expect(runningImages('prod')).toEqual([`${repository()}@${firstDigest}`]);
  }, 180_000);

  it("fails a build of a ref that does not exist at clone, with git's message", async () => {
    const failed = await ended((await submit('/apps/shop/builds', { ref: 'no-such-branch' })).id);
    expect(failed.phase).toBe('Failed');
    expect(failed.error?.step).toBe('clone');
    expect(failed.error?.message).toMatch(/no-such-branch/);
    expect(failed.result).toBeNull();
  });

  it('retries a failed task: it runs again and succeeds once the ref exists', async () => {
    const failed = await ended((await submit('/apps/shop/builds', { ref: 'feature-x' })).id);
    expect(failed.phase).toBe('Failed');
    const work = await clone('shop');
    await git('-C', work, 'push', '-q', 'origin', 'HEAD:refs/heads/feature-x');

    const { status, task } = await call('POST', `/tasks/${failed.id}/retry`);
    expect(status).toBe(200);
    expect(task.id).toBe(failed.id);
    const retried = await ended(failed.id);
    expect(retried.phase).toBe('Succeeded');
    expect(retried.result).toMatchObject({ commit: (await git('-C', work, 'rev-parse', 'HEAD')).trim() });
  });

  it('cancels a running task: it ends Cancelled', async () => {
    await fetch(`${sandbox.urls.admin}/admin/speed`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ speed: 0.5 }),
    });
    try {
      const running = await submit('/apps/shop/builds', { ref: 'main' });
      const key = { 'idempotency-key': `cancel-${running.id}` };
      const first = await call('POST', `/tasks/${running.id}/cancel`, undefined, key);
      expect({ status: first.status, replayed: first.replayed }).toEqual({ status: 200, replayed: false });
      const cancelled = await ended(running.id);
      expect(cancelled.phase).toBe('Cancelled');
      expect(cancelled.result).toBeNull();
      // A client retrying its cancel with the same key gets the task, not "already ended".
      const repeat = await call('POST', `/tasks/${running.id}/cancel`, undefined, key);
      expect({ status: repeat.status, replayed: repeat.replayed, phase: repeat.task.phase }).toEqual({
        status: 200,
        replayed: true,
        phase: 'Cancelled',
      });
      expect((await call('POST', `/tasks/${running.id}/cancel`)).status).toBe(409);
    } finally {
      await fetch(`${sandbox.urls.admin}/admin/speed`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ speed: 20 }),
      });
    }
  });

  it('answers 404 for a task whose workflow Argo collected (ttlStrategy), and lists it no more', async () => {
    const built = await ended((await submit('/apps/shop/builds', { ref: 'main' })).id);
    // What Argo's TTL controller does once secondsAfterSuccess passed: it deletes the workflow.
    sandbox.ctx.store.delete(Kinds.Workflow, sandbox.ctx.config.argoNamespace, built.id);
    const res = await fetch(`${base}/task/v1/tasks/${built.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'TASK_NOT_FOUND', message: `task "${built.id}" not found`, details: { id: built.id } },
    });
    const list = await fetch(`${base}/task/v1/tasks?app=shop`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const ids = ((await list.json()) as { items: Task[] }).items.map((t) => t.id);
    expect(ids).not.toContain(built.id);
    expect((await call('POST', `/tasks/${built.id}/retry`)).status).toBe(404);
  });
});
