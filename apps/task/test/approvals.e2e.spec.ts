import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Task } from '@platform/domain';
import { Kinds, LabelSelector, type Sandbox } from '@platform/sandbox';
import { signTestToken, TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { AUDIT_STREAM } from '../src/audit/audit-log';
import { callTaskApi } from './support/task-api';
import { startTaskApp, startTaskSandbox } from './task-sandbox';

const ENDED = new Set(['Succeeded', 'Failed', 'Cancelled']);

/**
 * Deploys to a protected environment wait for an approver: prod is protected, the release group
 * approves. A promotion waits at its approval step; the requester cannot approve it, nor can a
 * team member outside the group; a rejection leaves prod as it was; an approval lets it go on.
 */
describe('approvals for protected environments', () => {
  let sandbox: Sandbox;
  let app: NestFastifyApplication;
  let base: string;
  let redis: Redis;
  const tokens: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };

  beforeAll(async () => {
    sandbox = await startTaskSandbox();
    ({ app, base } = await startTaskApp(sandbox, {
      PROTECTED_ENVIRONMENTS: 'prod',
      APPROVERS_GROUP: 'release',
    }));
    redis = new Redis(TEST_REDIS_URL);
    // alice asks (and is an approver too), bob approves, carol is in the team but not the group.
    tokens.alice = await signTestToken({ sub: 'alice', teams: ['payments'], groups: ['release'] });
    tokens.bob = await signTestToken({ sub: 'bob', teams: ['payments'], groups: ['release'] });
    tokens.carol = await signTestToken({ sub: 'carol', teams: ['payments'] });
  }, 60_000);
  afterAll(async () => {
    redis.disconnect();
    await app.close();
    await sandbox.stop();
  });

  const call = <T>(who: keyof typeof tokens, method: string, route: string, body?: unknown) =>
    callTaskApi<T>(base, tokens[who], method, route, body);
  const until = async (id: string, done: (t: Task) => boolean): Promise<Task> => {
    for (let i = 0; i < 1200; i += 1) {
      const { body } = await call<Task>('alice', 'GET', `/tasks/${id}`);
      if (done(body)) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`task ${id} never got there`);
  };
  const ended = (id: string) => until(id, (t) => ENDED.has(t.phase));
  const prodPods = () =>
    sandbox.ctx.store.list(Kinds.Pod, {
      namespace: 'payments-prod',
      labelSelector: LabelSelector.parse('platform-api/app=cart'),
    }).items;

  let waiting: Task;

  it('creates, builds and deploys to dev without an approval', async () => {
    const created = await call<Task>('alice', 'POST', '/apps', {
      name: 'cart',
      team: 'payments',
      template: 'go-service',
    });
    expect((await ended(created.body.id)).phase).toBe('Succeeded');
    const built = await ended(
      (await call<Task>('alice', 'POST', '/apps/cart/builds', { ref: 'main' })).body.id,
    );
    const tag = (built.result as { image: string }).image.split(':').at(-1);
    const deployed = await ended(
      (await call<Task>('alice', 'POST', '/apps/cart/deployments', { environment: 'dev', tag })).body.id,
    );
    expect({ phase: deployed.phase, approval: deployed.approval }).toEqual({
      phase: 'Succeeded',
      approval: null,
    });
  }, 240_000);

  it('a promotion to prod waits Pending approval, naming who may approve', async () => {
    const promoted = await call<Task>('alice', 'POST', '/apps/cart/promotions', { from: 'dev', to: 'prod' });
    expect(promoted.status).toBe(202);
    waiting = await until(promoted.body.id, (t) => t.phase === 'Pending approval');
    expect(waiting.approval).toEqual({ state: 'pending', approvers: 'release', message: null });
    expect(waiting.steps.find((s) => s.name === 'approval')?.phase).toBe('Running');
    // Nothing of prod was provisioned while it waits.
    expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', 'cart-prod')).toBeUndefined();
  }, 60_000);

  it('refuses an approval by the requester and by a team member outside the approvers group', async () => {
    const own = await call<{ error: { code: string; message: string } }>(
      'alice',
      'POST',
      `/tasks/${waiting.id}/approve`,
    );
    expect(own.status).toBe(403);
    expect(own.body.error).toMatchObject({
      code: 'OWN_REQUEST',
      message: `you requested task "${waiting.id}": another member of release must approve it`,
    });
    const outsider = await call<{ error: { code: string } }>('carol', 'POST', `/tasks/${waiting.id}/approve`);
    expect({ status: outsider.status, code: outsider.body.error.code }).toEqual({
      status: 403,
      code: 'NOT_AN_APPROVER',
    });
  });

  it('a rejected deploy leaves the environment unchanged, and the audit log says who rejected it', async () => {
    const rejected = await call<Task>('bob', 'POST', `/tasks/${waiting.id}/reject`);
    expect(rejected.status).toBe(200);
    const failed = await ended(waiting.id);
    expect(failed.phase).toBe('Failed');
    expect(failed.approval).toEqual({ state: 'rejected', approvers: 'release', message: 'rejected by bob' });
    expect(failed.error).toEqual({ step: 'approval', message: 'rejected by bob' });
    expect(failed.steps.map((s) => s.name)).not.toContain('update-manifests');
    expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', 'cart-prod')).toBeUndefined();
    expect(prodPods()).toEqual([]);
    const late = await call<{ error: { code: string } }>('bob', 'POST', `/tasks/${waiting.id}/approve`);
    expect({ status: late.status, code: late.body.error.code }).toEqual({
      status: 409,
      code: 'NOT_PENDING_APPROVAL',
    });
    const records = (await redis.xrevrange(AUDIT_STREAM, '+', '-', 'COUNT', 200)).map(
      ([, fields]) =>
        JSON.parse(fields[1] ?? '{}') as { action: string; actor: string; taskId: string; outcome: string },
    );
    expect(records).toContainEqual(
      expect.objectContaining({
        action: 'task.reject',
        actor: 'bob',
        taskId: waiting.id,
        outcome: 'accepted',
      }),
    );
  }, 60_000);

  it('a deploy cancelled while it waits for its approval ends Cancelled, prod untouched', async () => {
    const promoted = await call<Task>('alice', 'POST', '/apps/cart/promotions', { from: 'dev', to: 'prod' });
    const pending = await until(promoted.body.id, (t) => t.phase === 'Pending approval');
    expect((await call<Task>('alice', 'POST', `/tasks/${pending.id}/cancel`)).status).toBe(200);
    const cancelled = await ended(pending.id);
    expect(cancelled.phase).toBe('Cancelled');
    expect(cancelled.steps.map((s) => s.name)).not.toContain('update-manifests');
    expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', 'cart-prod')).toBeUndefined();
  }, 60_000);

  it('an approved promotion goes on and deploys prod', async () => {
    const promoted = await call<Task>('alice', 'POST', '/apps/cart/promotions', { from: 'dev', to: 'prod' });
    const pending = await until(promoted.body.id, (t) => t.phase === 'Pending approval');
    expect((await call<Task>('bob', 'POST', `/tasks/${pending.id}/approve`)).status).toBe(200);
    const done = await ended(pending.id);
    expect({ phase: done.phase, error: done.error }).toEqual({ phase: 'Succeeded', error: null });
    expect(done.approval?.state).toBe('approved');
    expect(prodPods().length).toBeGreaterThan(0);
    const records = (await redis.xrevrange(AUDIT_STREAM, '+', '-', 'COUNT', 200)).map(
      ([, fields]) => JSON.parse(fields[1] ?? '{}') as { action: string; actor: string; taskId: string },
    );
    expect(records).toContainEqual(
      expect.objectContaining({ action: 'task.approve', actor: 'bob', taskId: pending.id }),
    );
  }, 240_000);
});
