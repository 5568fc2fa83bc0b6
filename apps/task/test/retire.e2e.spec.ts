import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CreateResult, DeleteResult, Task } from '@platform/domain';
import { Kinds, LabelSelector, type Sandbox } from '@platform/sandbox';
import { signTestToken } from '@platform/service-runtime/testing';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { callTaskApi } from './support/task-api';
import { gitAuthorization, repoUrl, startTaskApp, startTaskSandbox } from './task-sandbox';

const run = promisify(execFile);
const ENDED = new Set(['Succeeded', 'Failed', 'Cancelled']);

/** The platform's error envelope. */
interface Refusal {
  error: { code: string; message: string };
}

/**
 * Retiring an app through the HTTP API against the sandbox: DELETE /apps/{app} runs a delete
 * task that deletes every environment's Application with its resources and archives both
 * repositories under new names; the registry keeps the images; the name is free only once the
 * task succeeded, and then a new app of that name starts from scratch.
 */
describe('retiring an app', () => {
  let sandbox: Sandbox;
  let app: NestFastifyApplication;
  let base: string;
  const tokens = { alice: '', mallory: '' };

  beforeAll(async () => {
    sandbox = await startTaskSandbox();
    ({ app, base } = await startTaskApp(sandbox));
    tokens.alice = await signTestToken({ sub: 'alice', teams: ['payments'] });
    tokens.mallory = await signTestToken({ sub: 'mallory', teams: ['search'] });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await sandbox.stop();
  });

  const call = <T = Task>(
    method: string,
    route: string,
    body?: unknown,
    who: keyof typeof tokens = 'alice',
  ) => callTaskApi<T>(base, tokens[who], method, route, body);
  const until = async (id: string, done: (t: Task) => boolean): Promise<Task> => {
    for (let i = 0; i < 1200; i += 1) {
      const { body } = await call('GET', `/tasks/${id}`);
      if (done(body)) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`task ${id} never got there`);
  };
  const ended = (id: string) => until(id, (t) => ENDED.has(t.phase));
  const argo = (method: string, route: string, body?: unknown) =>
    fetch(`${sandbox.urls.argo}/api/v1/workflows/${sandbox.ctx.config.argoNamespace}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${sandbox.ctx.config.argoToken}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** Submits a workflow straight to Argo and waits until it runs; answers its name. */
  const hold = async (workflow: object): Promise<string> => {
    const name = ((await (await argo('POST', '', { workflow })).json()) as { metadata: { name: string } })
      .metadata.name;
    await waitFor(async () => {
      const wf = (await (await argo('GET', `/${name}`)).json()) as { status?: { phase?: string } };
      return wf.status?.phase === 'Running';
    });
    return name;
  };
  const gitea = (route: string, init: RequestInit = {}) =>
    fetch(`${sandbox.urls.git}/api/v1${route}`, {
      ...init,
      redirect: 'manual',
      headers: { authorization: gitAuthorization(sandbox), 'content-type': 'application/json' },
    });
  const appObjects = (kind: typeof Kinds.Pod, namespace: string) =>
    sandbox.ctx.store.list(kind, {
      namespace,
      labelSelector: LabelSelector.parse('platform-api/app=shop'),
    }).items;

  let created: Task;
  let image = '';

  it('has an app deployed to two environments', async () => {
    created = await ended(
      (await call('POST', '/apps', { name: 'shop', team: 'payments', template: 'go-service' })).body.id,
    );
    expect(created.phase).toBe('Succeeded');
    const built = await ended((await call('POST', '/apps/shop/builds', { ref: 'main' })).body.id);
    image = (built.result as { image: string }).image;
    const tag = image.split(':').at(-1);
    const prod = await ended(
      (await call('POST', '/apps/shop/deployments', { environment: 'prod', tag })).body.id,
    );
    expect(prod.phase).toBe('Succeeded');
    expect(appObjects(Kinds.Pod, 'payments-dev')).not.toHaveLength(0);
    expect(appObjects(Kinds.Pod, 'payments-prod')).not.toHaveLength(0);
  });

  it("refuses another team's member with the 404 of an app that does not exist", async () => {
    const refused = await call<Refusal>('DELETE', '/apps/shop', undefined, 'mallory');
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('APP_NOT_FOUND');
    expect((await call<Refusal>('DELETE', '/apps/nothing-here')).body.error.code).toBe('APP_NOT_FOUND');
  });

  it('refuses to retire an app while one of its tasks runs', async () => {
    // A task of the app that waits until it is stopped: labelled as the task service labels a ci.
    const busy = await hold({
      metadata: {
        generateName: 'shop-ci-',
        labels: {
          'platform-api/app': 'shop',
          'platform-api/team': 'payments',
          'platform-api/task-type': 'ci',
        },
      },
      spec: { entrypoint: 'hold', templates: [{ name: 'hold', suspend: {} }] },
    });
    try {
      const refused = await call<Refusal>('DELETE', '/apps/shop');
      expect({ status: refused.status, code: refused.body.error.code }).toEqual({
        status: 409,
        code: 'APP_BUSY',
      });
      expect(refused.body.error.message).toContain(`ci ${busy}`);
    } finally {
      expect((await argo('PUT', `/${busy}/terminate`, {})).status).toBe(200);
      await waitFor(async () => {
        const wf = (await (await argo('GET', `/${busy}`)).json()) as { metadata: { labels?: object } };
        return (wf.metadata.labels as Record<string, string>)['workflows.argoproj.io/completed'] === 'true';
      });
    }
  });

  let retiring: Task;

  it('takes no deploy, second retire or new app of the name while the delete task has not succeeded', async () => {
    // A workflow outside the platform holds the app's mutex, so the delete task waits for it.
    const holder = await hold({
      metadata: { generateName: 'hold-shop-' },
      spec: {
        entrypoint: 'hold',
        synchronization: { mutexes: [{ name: 'app-shop' }] },
        templates: [{ name: 'hold', suspend: {} }],
      },
    });
    try {
      await refusedWhileRetiring();
      await changesBehindTheTask();
    } finally {
      expect((await argo('PUT', `/${holder}/resume`, {})).status).toBe(200);
    }
  });

  const stampOf = (task: Task): string => (task.createdAt ?? '').replace(/\D/g, '').slice(0, 14);

  /**
   * While the delete task waits: an environment provisioned behind the service's back, another
   * team's Application labelled with this app's name, and a repository an interrupted attempt
   * renamed without archiving it.
   */
  const changesBehindTheTask = async (): Promise<void> => {
    const application = (name: string, team: string) => ({
      metadata: {
        name,
        namespace: 'argocd',
        labels: {
          'platform-api/app': 'shop',
          'platform-api/team': team,
          'platform-api/environment': 'staging',
        },
      },
      spec: {
        project: team,
        source: {
          repoURL: `${sandbox.urls.git}/${team}/shop-manifests.git`,
          path: 'chart',
          targetRevision: 'main',
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: `${team}-staging` },
      },
    });
    sandbox.ctx.store.create(Kinds.Application, application('shop-staging', 'payments'));
    sandbox.ctx.store.create(Kinds.Application, application('shop-theirs', 'search'));
    const renamed = await gitea('/repos/payments/shop-manifests', {
      method: 'PATCH',
      body: JSON.stringify({ name: `shop-manifests-retired-${stampOf(retiring)}` }),
    });
    expect(renamed.status).toBe(200);
  };

  /** The delete task is accepted, and everything else of the app refused while it has not finished. */
  const refusedWhileRetiring = async (): Promise<void> => {
    const accepted = await call('DELETE', '/apps/shop');
    expect(accepted.status).toBe(202);
    expect(accepted.location).toBe(`/task/v1/tasks/${accepted.body.id}`);
    expect(accepted.body).toMatchObject({ type: 'delete', app: 'shop', team: 'payments' });
    expect(accepted.body.parameters.applications?.split('\n').sort()).toEqual(['shop-dev', 'shop-prod']);
    retiring = accepted.body;

    const deploy = await call<Refusal>('POST', '/apps/shop/deployments', {
      environment: 'dev',
      tag: image.split(':').at(-1),
    });
    expect({ status: deploy.status, code: deploy.body.error.code }).toEqual({
      status: 409,
      code: 'APP_BEING_RETIRED',
    });
    const again = await call<Refusal>('DELETE', '/apps/shop');
    expect({ status: again.status, code: again.body.error.code }).toEqual({ status: 409, code: 'APP_BUSY' });
    expect(again.body.error.message).toContain(`delete ${retiring.id}`);
    const taken = await call<Refusal>('POST', '/apps', {
      name: 'shop',
      team: 'payments',
      template: 'go-service',
    });
    expect({ status: taken.status, code: taken.body.error.code }).toEqual({
      status: 409,
      code: 'APP_EXISTS',
    });
    expect(taken.body.error.message).toContain(`delete task ${retiring.id}`);
  };

  it('deletes every Application of the app with its resources, one provisioned meanwhile too, and archives both repositories', async () => {
    const done = await ended(retiring.id);
    expect({ phase: done.phase, error: done.error }).toEqual({ phase: 'Succeeded', error: null });
    const stamp = stampOf(done);
    expect(done.result).toEqual<DeleteResult>({
      // shop-staging was provisioned after the task was accepted: the step found it by its labels.
      deletedApplications: ['shop-dev', 'shop-prod', 'shop-staging'],
      archivedRepositories: [`payments/shop-retired-${stamp}`, `payments/shop-manifests-retired-${stamp}`],
    });
    for (const name of ['shop-dev', 'shop-prod', 'shop-staging']) {
      expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', name)).toBeUndefined();
    }
    // Another team's Application that claims the app's name in its labels is not touched.
    expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', 'shop-theirs')).toBeDefined();
    // (It would hold the name for a create: gone before the next test.)
    sandbox.ctx.store.delete(Kinds.Application, 'argocd', 'shop-theirs');
    // The repository renamed by an "earlier attempt" was archived all the same.
    expect(await (await gitea(`/repos/payments/shop-manifests-retired-${stamp}`)).json()).toMatchObject({
      archived: true,
    });
    for (const namespace of ['payments-dev', 'payments-prod']) {
      expect(appObjects(Kinds.Deployment, namespace)).toEqual([]);
      expect(appObjects(Kinds.Pod, namespace)).toEqual([]);
    }

    // Archived, not destroyed: readable under the new name, which the old one redirects to.
    const archived = await gitea(`/repos/payments/shop-retired-${stamp}`);
    expect(archived.status).toBe(200);
    expect(await archived.json()).toMatchObject({ name: `shop-retired-${stamp}`, archived: true });
    const old = await gitea('/repos/payments/shop-manifests');
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toContain(`/payments/shop-manifests-retired-${stamp}`);
    // The history is still there to clone; a push is refused as Gitea refuses it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retired-'));
    await run('git', ['clone', '-q', repoUrl(sandbox, `payments/shop-retired-${stamp}`), dir]);
    expect((await run('git', ['-C', dir, 'rev-parse', 'HEAD'])).stdout.trim()).toBe(
      (created.result as CreateResult).sourceCommit,
    );
    await run('git', [
      '-C',
      dir,
      '-c',
      'user.name=a',
      '-c',
      'user.email=a@b',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'x',
    ]);
    await expect(run('git', ['-C', dir, 'push', '-q', 'origin', 'HEAD:main'])).rejects.toThrow(/archived/);

    // The registry keeps the app's images.
    expect(sandbox.ctx.registry.find(image)).toBeDefined();
    // The app is gone from the API.
    expect((await call<Refusal>('DELETE', '/apps/shop')).body.error.code).toBe('APP_NOT_FOUND');
  });

  it('lets a new app take the name once the delete task succeeded: fresh repositories', async () => {
    const accepted = await call('POST', '/apps', {
      name: 'shop',
      team: 'payments',
      template: 'node-service',
    });
    expect({ status: accepted.status, body: accepted.body }).toMatchObject({ status: 202, body: {} });
    const again = await ended(accepted.body.id);
    expect({ phase: again.phase, error: again.error }).toEqual({ phase: 'Succeeded', error: null });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reborn-'));
    await run('git', ['clone', '-q', repoUrl(sandbox, 'payments/shop'), dir]);
    // One commit, of the new template: nothing of the retired app's history.
    expect((await run('git', ['-C', dir, 'rev-list', '--count', 'HEAD'])).stdout.trim()).toBe('1');
    expect(fs.existsSync(path.join(dir, 'package.json'))).toBe(true);
    const repo = await gitea('/repos/payments/shop');
    expect(repo.status).toBe(200);
    expect(await repo.json()).toMatchObject({ name: 'shop', archived: false });
    expect(appObjects(Kinds.Pod, 'payments-dev')).not.toHaveLength(0);
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition never held');
}
