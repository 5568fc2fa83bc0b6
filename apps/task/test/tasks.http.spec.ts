import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { argoWorkflowsHandler, createContext, Kinds, serve, type SandboxContext } from '@platform/sandbox';
import { LogCapture, listenOnRandomPort, signTestToken } from '@platform/service-runtime/testing';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';
import { taskEnv } from './task-env';

const NS = 'argo';

describe('task API: reading, listing, cancelling and retrying tasks (against the sandbox Argo server)', () => {
  let ctx: SandboxContext;
  let argo: { url: string; close(): Promise<void> };
  let app: NestFastifyApplication;
  let base: string;
  let alice: string;
  let admin: string;

  beforeAll(async () => {
    ctx = createContext();
    argo = await serve(argoWorkflowsHandler(ctx));
    app = await createTaskApp(
      loadTaskConfig(taskEnv({ ARGO_SERVER_URL: argo.url, ARGO_TOKEN: ctx.config.argoToken })),
      { logDestination: new LogCapture() },
    );
    base = await listenOnRandomPort(app);
    alice = await signTestToken({ sub: 'alice', teams: ['payments'] });
    admin = await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] });
    workflow(
      'ci-shop-1',
      { app: 'shop', team: 'payments', type: 'ci' },
      'Succeeded',
      '2026-11-26T10:05:00Z',
      {
        image: 'registry.local/payments/shop:abc',
        digest: 'sha256:1',
        commit: 'abc',
      },
    );
    workflow('ci-shop-2', { app: 'shop', team: 'payments', type: 'ci' }, 'Failed', '2026-11-26T10:06:00Z');
    workflow('cd-shop-1', { app: 'shop', team: 'payments', type: 'cd' }, 'Running');
    workflow('ci-blog-1', { app: 'blog', team: 'content', type: 'ci' }, 'Running');
    ctx.store.create(Kinds.Workflow, {
      metadata: { name: 'not-ours', namespace: NS },
      spec: {},
      status: { phase: 'Running' },
    });
  });
  afterAll(async () => {
    await app.close();
    await argo.close();
  });

  function workflow(
    name: string,
    labels: { app: string; team: string; type: string },
    phase: string,
    finishedAt: string | null = null,
    outputs: Record<string, string> = {},
  ): void {
    ctx.store.create(Kinds.Workflow, {
      metadata: {
        name,
        namespace: NS,
        labels: {
          'platform-api/app': labels.app,
          'platform-api/team': labels.team,
          'platform-api/task-type': labels.type,
          'platform-api/requested-by': 'alice',
          'workflows.argoproj.io/phase': phase,
          ...(finishedAt ? { 'workflows.argoproj.io/completed': 'true' } : {}),
        },
      },
      spec: { entrypoint: 'main', arguments: { parameters: [{ name: 'app', value: labels.app }] } },
      status: {
        phase,
        startedAt: '2026-11-26T10:00:00Z',
        finishedAt,
        progress: phase === 'Succeeded' ? '2/2' : '1/2',
        outputs: { parameters: Object.entries(outputs).map(([n, value]) => ({ name: n, value })) },
        nodes: {
          [`${name}-1`]: {
            id: `${name}-1`,
            name: `${name}.build`,
            displayName: 'build',
            type: 'Pod',
            phase,
            startedAt: '2026-11-26T10:00:01Z',
            message: phase === 'Failed' ? 'Error (exit code 1): tests failed' : undefined,
          },
        },
      },
    });
  }

  const call = (method: string, path: string, token = alice): Promise<Response> =>
    fetch(base + path, { method, headers: { authorization: `Bearer ${token}` } });

  it('returns a task with its steps and typed result', async () => {
    const res = await call('GET', '/task/v1/tasks/ci-shop-1');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: 'ci-shop-1',
      type: 'ci',
      app: 'shop',
      team: 'payments',
      phase: 'Succeeded',
      progress: { done: 2, total: 2 },
      steps: [{ name: 'build', phase: 'Succeeded' }],
      result: { image: 'registry.local/payments/shop:abc', digest: 'sha256:1', commit: 'abc' },
      error: null,
      requestedBy: 'alice',
      links: { self: '/task/v1/tasks/ci-shop-1', stream: '/monitoring/v1/tasks/ci-shop-1/stream' },
    });
  });

  it.each([
    [
      "another team's task (as unknown as a missing one)",
      'ci-blog-1',
      404,
      'TASK_NOT_FOUND',
      'task "ci-blog-1" not found',
    ],
    ['an unknown task', 'nope', 404, 'TASK_NOT_FOUND', 'task "nope" not found'],
    [
      'a workflow that is not a platform task',
      'not-ours',
      404,
      'TASK_NOT_FOUND',
      'task "not-ours" not found',
    ],
  ])('refuses %s', async (_what, id, status, code, message) => {
    const res = await call('GET', `/task/v1/tasks/${id}`);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({
      error: { code, message, ...(code === 'TASK_NOT_FOUND' ? { details: { id } } : {}) },
    });
  });

  it.each([[['payments,content']], [['*']], [['-']], [['content) ,platform-api/team notin (x']]])(
    'lists nothing for a token whose teams claim is %j (not team names)',
    async (teams) => {
      const odd = await signTestToken({ sub: 'mallory', teams });
      const res = await call('GET', '/task/v1/tasks', odd);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ items: [], nextCursor: null });
    },
  );

  it("lists only the caller's teams, filters in the query and pages with a cursor", async () => {
    const all = (await (await call('GET', '/task/v1/tasks')).json()) as {
      items: Array<{ id: string }>;
      nextCursor: string | null;
    };
    expect(all.items.map((t) => t.id).sort()).toEqual(['cd-shop-1', 'ci-shop-1', 'ci-shop-2']);
    const everything = (await (await call('GET', '/task/v1/tasks', admin)).json()) as {
      items: Array<{ id: string }>;
    };
    expect(everything.items.map((t) => t.id).sort()).toEqual([
      'cd-shop-1',
      'ci-blog-1',
      'ci-shop-1',
      'ci-shop-2',
    ]);

    const ci = (await (await call('GET', '/task/v1/tasks?app=shop&type=ci')).json()) as {
      items: Array<{ id: string }>;
    };
    expect(ci.items.map((t) => t.id).sort()).toEqual(['ci-shop-1', 'ci-shop-2']);
    const failed = (await (await call('GET', '/task/v1/tasks?phase=Failed')).json()) as {
      items: Array<{ id: string; error: unknown }>;
    };
    expect(failed.items).toEqual([
      expect.objectContaining({
        id: 'ci-shop-2',
        error: { step: 'build', message: 'Error (exit code 1): tests failed' },
      }),
    ]);

    const first = (await (await call('GET', '/task/v1/tasks?limit=2')).json()) as {
      items: Array<{ id: string }>;
      nextCursor: string;
    };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe('2');
    const second = (await (
      await call('GET', `/task/v1/tasks?limit=2&cursor=${first.nextCursor}`)
    ).json()) as {
      items: Array<{ id: string }>;
      nextCursor: string | null;
    };
    expect([...first.items, ...second.items].map((t) => t.id).sort()).toEqual([
      'cd-shop-1',
      'ci-shop-1',
      'ci-shop-2',
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses an app filter longer than an app name with 400, before it reaches a label selector', async () => {
    // 64 characters: a DNS label's characters, but no label value (and no app) is that long.
    const res = await call('GET', `/task/v1/tasks?app=${'0'.repeat(64)}&type=ci`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The request has 1 invalid field: app',
        details: { fields: [{ field: 'app', problems: ['app must be at most 40 characters'] }] },
      },
    });
  });

  it('lists every bad query field', async () => {
    const res = await call('GET', '/task/v1/tasks?limit=500&phase=Done&cursor=x&type=deploy');
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: { fields: Array<{ field: string }> } };
    };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.fields.map((f) => f.field).sort()).toEqual([
      'cursor',
      'limit',
      'phase',
      'type',
    ]);
  });

  it('cancels a running task and refuses to cancel an ended one', async () => {
    const res = await call('POST', '/task/v1/tasks/cd-shop-1/cancel');
    expect(res.status).toBe(200);
    expect(ctx.store.mustGet(Kinds.Workflow, NS, 'cd-shop-1').spec).toMatchObject({ shutdown: 'Terminate' });
    const ended = await call('POST', '/task/v1/tasks/ci-shop-1/cancel');
    expect(ended.status).toBe(409);
    expect(await ended.json()).toEqual({
      error: {
        code: 'TASK_FINISHED',
        message: 'task "ci-shop-1" already ended Succeeded; there is nothing to cancel',
        details: { phase: 'Succeeded' },
      },
    });
  });

  it('retries a failed task and refuses to retry a succeeded one', async () => {
    const res = await call('POST', '/task/v1/tasks/ci-shop-2/retry');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'ci-shop-2', phase: 'Running' });
    const succeeded = await call('POST', '/task/v1/tasks/ci-shop-1/retry');
    expect(succeeded.status).toBe(409);
    expect(((await succeeded.json()) as { error: { code: string } }).error.code).toBe('TASK_NOT_RETRYABLE');
  });

  it('needs a token', async () => {
    const res = await fetch(`${base}/task/v1/tasks/ci-shop-1`);
    expect(res.status).toBe(401);
  });

  it('answers 503 with Retry-After, not 500, when the Argo server fails', async () => {
    ctx.faults.set('argo', { errorRate: 1, errorCode: 503 });
    try {
      const res = await call('GET', '/task/v1/tasks/ci-shop-1');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'ARGO_WORKFLOWS_UNAVAILABLE',
      );
    } finally {
      ctx.faults.set('argo', {});
    }
  });
});
