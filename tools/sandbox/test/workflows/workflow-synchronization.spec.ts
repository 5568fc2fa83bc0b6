import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kinds } from '../../src/core/resource-kinds';
import {
  completed,
  getWorkflow,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

interface SyncStatus {
  synchronization?: { mutex?: { holding?: unknown[]; waiting?: unknown[] } };
}

/** A workflow whose one step waits for the file GATE, holding the mutex `app-<app>`. */
function gated(name: string, app: string, gate: string, synchronization?: Record<string, unknown>) {
  return {
    metadata: { name },
    spec: {
      entrypoint: 'work',
      arguments: { parameters: [{ name: 'app', value: app }] },
      synchronization: synchronization ?? { mutexes: [{ name: 'app-{{workflow.parameters.app}}' }] },
      templates: [
        {
          name: 'work',
          script: {
            image: 'alpine',
            command: ['sh'],
            env: [{ name: 'GATE', value: gate }],
            source: 'while [ ! -f "$GATE" ]; do sleep 0.05; done',
          },
        },
      ],
    },
  };
}

describe('workflow-level synchronization (mutexes)', () => {
  let sandbox: WorkflowSandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
    // Not under /tmp: the sandbox maps a step's /tmp to the pod's own folder.
    dir = mkdtempSync('/dev/shm/mutex-');
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const phaseOf = (name: string) => getWorkflow(sandbox.ctx, name).status.phase;

  it('holds a second workflow of the same app Pending until the first completes, then runs it', async () => {
    const { ctx } = sandbox;
    const gate = path.join(dir, 'shop');
    submit(ctx, gated('first', 'shop', gate));
    await waitForWorkflow(ctx, 'first', (wf) => wf.status.phase === 'Running');
    submit(ctx, gated('second', 'shop', gate));
    const waiting = await waitForWorkflow(
      ctx,
      'second',
      (wf) => wf.status.phase === 'Pending' && wf.status.message !== undefined,
    );
    expect(waiting.status.message).toBe('Waiting for argo/Mutex/app-shop lock. Lock status: 0/1');
    expect((waiting.status as SyncStatus).synchronization).toEqual({
      mutex: { waiting: [{ mutex: 'argo/Mutex/app-shop', holder: 'argo/first' }] },
    });
    expect((getWorkflow(ctx, 'first').status as SyncStatus).synchronization).toEqual({
      mutex: { holding: [{ mutex: 'argo/Mutex/app-shop', holder: 'argo/first' }] },
    });
    expect(waiting.status.nodes).toBeUndefined();

    writeFileSync(gate, '');
    const first = await waitForWorkflow(ctx, 'first', completed);
    const second = await waitForWorkflow(ctx, 'second', completed);
    expect([first.status.phase, second.status.phase]).toEqual(['Succeeded', 'Succeeded']);
    expect(second.status.message).toBeUndefined();
    expect(Date.parse(second.status.startedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(first.status.finishedAt as string),
    );
    expect((first.status as SyncStatus).synchronization).toEqual({});
    expect((second.status as SyncStatus).synchronization).toEqual({});
  });

  it('lets workflows of different apps run at the same time', async () => {
    const { ctx } = sandbox;
    const gate = path.join(dir, 'parallel');
    submit(ctx, gated('blog-1', 'blog', gate));
    submit(ctx, gated('wiki-1', 'wiki', gate));
    await waitForWorkflow(ctx, 'blog-1', (wf) => wf.status.phase === 'Running');
    await waitForWorkflow(ctx, 'wiki-1', (wf) => wf.status.phase === 'Running');
    writeFileSync(gate, '');
    await waitForWorkflow(ctx, 'wiki-1', completed);
  });

  it("ignores v3.5's singular `mutex`, as v4 (which removed it) does", async () => {
    const { ctx } = sandbox;
    const gate = path.join(dir, 'singular');
    submit(ctx, gated('old-1', 'old', gate, { mutex: { name: 'old' } }));
    submit(ctx, gated('old-2', 'old', gate, { mutex: { name: 'old' } }));
    await waitForWorkflow(ctx, 'old-1', (wf) => wf.status.phase === 'Running');
    await waitForWorkflow(ctx, 'old-2', (wf) => wf.status.phase === 'Running');
    writeFileSync(gate, '');
    await waitForWorkflow(ctx, 'old-2', completed);
  });

  it('ends a workflow terminated while it waits, and the next in line takes the lock', async () => {
    const { ctx } = sandbox;
    const gate = path.join(dir, 'terminate');
    submit(ctx, gated('t-1', 'cart', gate));
    await waitForWorkflow(ctx, 't-1', (wf) => wf.status.phase === 'Running');
    submit(ctx, gated('t-2', 'cart', gate));
    submit(ctx, gated('t-3', 'cart', gate));
    await waitForWorkflow(ctx, 't-3', (wf) => wf.status.message !== undefined);
    ctx.store.mutate(
      Kinds.Workflow,
      NS,
      't-2',
      (wf) => ((wf.spec as Record<string, unknown>).shutdown = 'Terminate'),
    );
    const terminated = await waitForWorkflow(ctx, 't-2', completed);
    expect({ phase: terminated.status.phase, message: terminated.status.message }).toEqual({
      phase: 'Failed',
      message: "Stopped with strategy 'Terminate'",
    });
    expect(phaseOf('t-3')).toBe('Pending');
    writeFileSync(gate, '');
    expect((await waitForWorkflow(ctx, 't-3', completed)).status.phase).toBe('Succeeded');
  });

  it('refuses what the sandbox does not emulate instead of running unlocked', async () => {
    const { ctx } = sandbox;
    submit(
      ctx,
      gated('sem', 'x', path.join(dir, 'never'), {
        semaphores: [{ configMapKeyRef: { name: 'c', key: 'k' } }],
      }),
    );
    const wf = await waitForWorkflow(ctx, 'sem', completed);
    expect({ phase: wf.status.phase, message: wf.status.message }).toEqual({
      phase: 'Failed',
      message:
        'Failed to acquire the synchronization lock. sandbox: synchronization semaphores are not emulated',
    });
  });
});
