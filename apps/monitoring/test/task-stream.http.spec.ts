import { Kinds } from '@platform/sandbox';
import { taskPhase } from '@platform/domain';
import type { Workflow } from '@platform/argo-client';
import { startPlatform, submitTemplate, taskLabels, type Platform } from './harness';
import { SseClient, type SseEvent } from './sse-events';

interface TaskData {
  id: string;
  phase: string;
  steps: Array<{ name: string; phase: string }>;
}

const phasesOf = (events: SseEvent[]): string[] =>
  events.flatMap((e) => {
    if (e.event === 'snapshot') return [(e.data as { task: TaskData }).task.phase];
    if (e.event === 'task' || e.event === 'complete') return [(e.data as TaskData).phase];
    return [];
  });

const distinct = (values: string[]): string[] => values.filter((v, i) => i === 0 || values[i - 1] !== v);

describe('GET /monitoring/v1/tasks/:id/stream (a create-app workflow run by the sandbox)', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ sandbox: { speed: 5, workflowController: { pendingMs: 5000 } } });
  });
  afterAll(() => platform.stop());

  const url = (id: string, token = platform.tokens.alice): string =>
    `${platform.base}/monitoring/v1/tasks/${id}/stream?access_token=${token}`;

  it('streams the task from Pending to Succeeded, every phase change in order, with the step logs, then complete', async () => {
    const truth: string[] = [];
    const watch = platform.sandbox.ctx.store.watch(Kinds.Workflow, {}, (event) => {
      truth.push(taskPhase(event.object as unknown as Workflow));
    });
    const id = await submitTemplate(
      platform.sandbox,
      'create-app',
      { app: 'shop', team: 'payments', template: 'node-service', values: 'PORT=8081\nGREETING=hi' },
      taskLabels('shop', 'payments', 'create'),
    );
    const client = await SseClient.open(url(id));
    expect(client.status).toBe(200);
    expect(client.raw.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.raw.headers['x-accel-buffering']).toBe('no');
    const ended = await client.raw.ended;
    watch.close();
    expect(ended).toMatch(/^retry: \d+\n\n/);

    const events = client.events();
    expect(events[0]?.event).toBe('snapshot');
    expect(events.at(-1)?.event).toBe('complete');
    const complete = events.at(-1)?.data as TaskData;
    expect({ phase: complete.phase, error: (complete as unknown as { error: unknown }).error }).toEqual({
      phase: 'Succeeded',
      error: null,
    });
    expect(distinct(phasesOf(events))).toEqual(['Pending', 'Running', 'Succeeded']);
    expect(distinct(phasesOf(events))).toEqual(distinct(truth).slice(distinct(truth).indexOf('Pending')));
    // Every event but the synthesized first snapshot has a distinct, increasing id.
    const seqs = events.slice(1).map((e) => Number(e.id?.split('.')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    // The step logs: exactly Argo's log of the finished workflow, in order, each tagged with its step.
    const logs = await fetch(
      `${platform.sandbox.urls.argo}/api/v1/workflows/argo/${id}/log?logOptions.container=main`,
      { headers: { authorization: `Bearer ${platform.sandbox.ctx.config.argoToken}` } },
    );
    const expected = (await logs.text())
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { result: { content: string; podName: string } }).result);
    const snapshotLogs = (events[0]?.data as { logs: Array<{ pod: string; line: string }> }).logs;
    const streamed = [
      ...snapshotLogs,
      ...events
        .filter((e) => e.event === 'log')
        .map((e) => e.data as { pod: string; step: string; line: string }),
    ];
    expect(streamed.map((l) => [l.pod, l.line])).toEqual(expected.map((e) => [e.podName, e.content]));
    expect(expected.length).toBeGreaterThan(3);
    const steps = new Set(complete.steps.map((s) => s.name));
    for (const line of streamed) expect(steps.has((line as unknown as { step: string }).step)).toBe(true);
  }, 120_000);

  it('resumes mid-task from Last-Event-ID with no duplicate and no gap', async () => {
    const id = await submitTemplate(
      platform.sandbox,
      'create-app',
      { app: 'cart', team: 'payments', template: 'node-service', values: 'PORT=8082\nGREETING=hello' },
      taskLabels('cart', 'payments', 'create'),
    );
    const first = await SseClient.open(url(id));
    await first.waitForEvent((e) => e.event === 'log' && Number(e.id?.split('.')[1]) > 3, 60_000);
    first.close();
    const seen = first.events();
    const lastId = first.lastId() ?? '';
    const second = await SseClient.open(url(id), { 'last-event-id': lastId });
    await second.raw.ended;
    const resumed = second.events();
    expect(resumed[0]?.event).not.toBe('snapshot');
    expect(resumed.at(-1)?.event).toBe('complete');
    const ids = [...seen.slice(1), ...resumed].map((e) => Number(e.id?.split('.')[1]));
    // Consecutive positions from the first logged event to the last: nothing twice, nothing skipped.
    expect(ids).toEqual(ids.map((_, i) => (ids[0] ?? 0) + i));
    expect((resumed.at(-1)?.data as TaskData).phase).toBe('Succeeded');

    // The complete's id says the stream ended: coming back with it is 204, which stops an EventSource.
    const endId = second.lastId() ?? '';
    expect(endId).toMatch(/\.end$/);
    const after = await SseClient.open(url(id), { 'last-event-id': endId });
    expect(after.status).toBe(204);
    expect(await after.raw.ended).toBe('');
  }, 120_000);

  it('when the Argo streams drop mid-task (watch and logs), still ends at the truth with every log line once', async () => {
    const id = await submitTemplate(
      platform.sandbox,
      'create-app',
      { app: 'till', team: 'payments', template: 'node-service', values: 'PORT=8083\nGREETING=hey' },
      taskLabels('till', 'payments', 'create'),
    );
    const client = await SseClient.open(url(id));
    await client.waitForEvent((e) => e.event === 'log', 60_000);
    expect(platform.sandbox.ctx.faults.dropStreams('argo')).toBeGreaterThanOrEqual(2);
    await client.waitForEvent((e) => e.event === 'reconnecting');
    await client.raw.ended;
    const events = client.events();
    const complete = events.at(-1);
    expect(complete?.event).toBe('complete');
    const truth = await fetch(`${platform.sandbox.urls.argo}/api/v1/workflows/argo/${id}`, {
      headers: { authorization: `Bearer ${platform.sandbox.ctx.config.argoToken}` },
    });
    const workflow = (await truth.json()) as { status: { phase: string } };
    expect((complete?.data as TaskData).phase).toBe(workflow.status.phase);
    const logs = await fetch(
      `${platform.sandbox.urls.argo}/api/v1/workflows/argo/${id}/log?logOptions.container=main`,
      { headers: { authorization: `Bearer ${platform.sandbox.ctx.config.argoToken}` } },
    );
    const expected = (await logs.text())
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { result: { content: string } }).result.content);
    const snapshotLogs = (events[0]?.data as { logs: Array<{ line: string }> }).logs.map((l) => l.line);
    const streamed = [
      ...snapshotLogs,
      ...events.filter((e) => e.event === 'log').map((e) => (e.data as { line: string }).line),
    ];
    expect(streamed).toEqual(expected);
  }, 120_000);

  it('shows a deploy waiting for its approval as Pending approval, with who may approve, until it is resumed', async () => {
    // The shape of deploy/argo/cd.yaml's wait: an `approval` suspend step, the approval parameters.
    platform.sandbox.ctx.store.create(Kinds.Workflow, {
      metadata: { name: 'cd-shop-approval', namespace: 'argo', labels: taskLabels('shop', 'payments', 'cd') },
      spec: {
        entrypoint: 'main',
        arguments: {
          parameters: [
            { name: 'approval', value: 'required' },
            { name: 'approvers', value: 'release' },
          ],
        },
        templates: [
          { name: 'main', steps: [[{ name: 'approval', template: 'approval' }]] },
          { name: 'approval', suspend: {} },
        ],
      },
    });
    const client = await SseClient.open(url('cd-shop-approval'));
    const waiting = await client.waitForEvent(
      (e) => (e.event === 'task' || e.event === 'snapshot') && phasesOf([e])[0] === 'Pending approval',
      30_000,
    );
    const task = (waiting.event === 'snapshot' ? (waiting.data as { task: unknown }).task : waiting.data) as {
      approval: unknown;
    };
    expect(task.approval).toEqual({ state: 'pending', approvers: 'release', message: null });

    const resumed = await fetch(
      `${platform.sandbox.urls.argo}/api/v1/workflows/argo/cd-shop-approval/resume`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${platform.sandbox.ctx.config.argoToken}`,
          'content-type': 'application/json',
        },
        body: '{}',
      },
    );
    expect(resumed.status).toBe(200);
    await client.raw.ended;
    // Resumed, the workflow may be seen Running for a moment before it succeeds.
    const phases = distinct(phasesOf(client.events()));
    expect(['Pending approval,Running,Succeeded', 'Pending approval,Succeeded']).toContain(
      phases.slice(phases.indexOf('Pending approval')).join(),
    );
    expect((client.events().at(-1)?.data as { approval: unknown }).approval).toMatchObject({
      state: 'approved',
    });
  }, 60_000);

  it('refuses a task of another team as an unknown one (404, the same body) before streaming', async () => {
    platform.sandbox.ctx.store.create(Kinds.Workflow, {
      metadata: { name: 'ci-blog-1', namespace: 'argo', labels: taskLabels('blog', 'content', 'ci') },
      spec: { entrypoint: 'main' },
      status: { phase: 'Running' },
    });
    const forbidden = await fetch(url('ci-blog-1'));
    expect(forbidden.status).toBe(404);
    expect(await forbidden.json()).toEqual({
      error: { code: 'TASK_NOT_FOUND', message: 'task "ci-blog-1" not found', details: { id: 'ci-blog-1' } },
    });
    const missing = await fetch(url('nope'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('TASK_NOT_FOUND');
    const bad = await fetch(url('Not_A_Name'));
    expect(bad.status).toBe(400);
    const anonymous = await fetch(`${platform.base}/monitoring/v1/tasks/ci-blog-1/stream`);
    expect(anonymous.status).toBe(401);
  });

  it('ends with upstream-error when Argo collects the workflow mid-stream (podGC/ttlStrategy), and 404s after', async () => {
    const id = await submitTemplate(
      platform.sandbox,
      'create-app',
      { app: 'gone', team: 'payments', template: 'node-service', values: 'PORT=8081\nGREETING=hi' },
      taskLabels('gone', 'payments', 'create'),
    );
    const client = await SseClient.open(url(id));
    await client.waitForEvent((e) => e.event === 'snapshot', 30_000);
    // What Argo's TTL controller does (a delete); Kubernetes then deletes the pods it owns.
    platform.sandbox.ctx.store.delete(Kinds.Workflow, 'argo', id);
    await client.raw.ended;
    const last = client.events().at(-1);
    expect(last).toMatchObject({
      event: 'upstream-error',
      data: { message: `task "${id}" no longer exists (its workflow was deleted)` },
    });
    const after = await fetch(url(id));
    expect(after.status).toBe(404);
  });
});
