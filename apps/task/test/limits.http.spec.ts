import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSandbox, type Sandbox } from '@platform/sandbox';
import { LogCapture, listenOnRandomPort, signTestToken, waitUntil } from '@platform/service-runtime/testing';
import { randomUUID } from 'node:crypto';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';
import { sandboxTaskEnv } from './task-env';

/** The task service's limits against the sandbox: request time, and its changes' budget. */
describe('task limits', () => {
  let sandbox: Sandbox;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ gitUsername: 'platform', gitPassword: 'pw', gitToken: 'git-token' });
    app = await createTaskApp(
      loadTaskConfig(sandboxTaskEnv(sandbox, { REQUEST_TIMEOUT_MS: '500', RATE_LIMIT_MUTATIONS: '2' })),
      { logDestination: new LogCapture() },
    );
    base = await listenOnRandomPort(app);
  });
  afterAll(async () => {
    await app.close();
    await sandbox.stop();
  });
  afterEach(() => sandbox.ctx.faults.clear());

  const token = (): Promise<string> => signTestToken({ sub: `user-${randomUUID()}`, teams: ['payments'] });

  /** Calls to Argo Workflows the service finished, by outcome, from its metrics. */
  const argoOutcomes = async (): Promise<Record<string, number>> => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const outcomes: Record<string, number> = {};
    for (const [, labels = '', count] of text.matchAll(
      /^upstream_request_duration_seconds_count\{([^}]*)\} (\d+)$/gm,
    )) {
      const label = Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
      if (label.upstream === 'ARGO_WORKFLOWS') outcomes[label.outcome ?? ''] = Number(count);
    }
    return outcomes;
  };

  it('answers a request Argo keeps waiting 503 REQUEST_TIMEOUT, and cancels its call to Argo', async () => {
    const before = await argoOutcomes();
    // Longer than the transport's own 10 s timeout, which would end the call as upstream-timeout.
    sandbox.ctx.faults.set('argo', { latencyMs: 15_000 });
    const res = await fetch(`${base}/task/v1/tasks/ci-shop-1`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({
      error: {
        code: 'REQUEST_TIMEOUT',
        message: 'the request took longer than 500 ms and was stopped; try again in 5 s',
        details: { timeoutMs: 500 },
      },
    });
    // Its call ends as cancelled, not timed out by the transport 10 s later, and is not retried.
    const after = await waitUntil(async () => {
      const outcomes = await argoOutcomes();
      const ended = Object.entries(outcomes).filter(([outcome, n]) => n > (before[outcome] ?? 0));
      if (ended.length === 0) throw new Error('the call to Argo has not ended yet');
      return Object.fromEntries(ended.map(([outcome, n]) => [outcome, n - (before[outcome] ?? 0)]));
    }, 20_000);
    expect(after).toEqual({ cancelled: 1 });
  });

  it("refuses a user's third change in a window with 429 RATE_LIMITED", async () => {
    const caller = await token();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await fetch(`${base}/task/v1/apps/no-such-app/builds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ref: 'main' }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 404, 429]);
  });
});
