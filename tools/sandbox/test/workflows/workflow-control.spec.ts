import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { argoWorkflowsHandler } from '../../src/argo-workflows/server';
import { Kinds } from '../../src/core/resource-kinds';
import { serve } from '../../src/testing/serve';
import { podName, WorkflowController } from '../../src/argo-workflows/controller';
import {
  completed,
  nodeByName,
  nodesOf,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

/** main: one long step; onExit: a quick one. */
function longRunning(name: string) {
  return {
    metadata: { name },
    spec: {
      entrypoint: 'main',
      onExit: 'cleanup',
      templates: [
        { name: 'main', steps: [[{ name: 'sleep', template: 'sleep' }]] },
        {
          name: 'sleep',
          container: { image: 'alpine', command: ['sh', '-c'], args: ['echo started; sleep 30; echo never'] },
        },
        { name: 'cleanup', container: { image: 'alpine', command: ['sh', '-c', 'echo cleaned up'] } },
      ],
    },
  };
}

const podRunning = (wf: { status: Record<string, unknown> }): boolean =>
  nodesOf(wf).some((n) => n.type === 'Pod' && n.phase === 'Running');

describe('WorkflowController under terminate, stop, retry and restart', () => {
  let sandbox: WorkflowSandbox;
  let argo: { url: string; close(): Promise<void> };
  const put = async (wf: string, action: string, body: unknown = {}) => {
    const res = await fetch(`${argo.url}/api/v1/workflows/${NS}/${wf}/${action}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${sandbox.ctx.config.argoToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
    argo = await serve(argoWorkflowsHandler(sandbox.ctx));
  });
  afterAll(async () => {
    await argo.close();
    await sandbox.close();
  });

  it('terminate kills the running step, skips the exit handler and ends Failed', async () => {
    const { ctx } = sandbox;
    submit(ctx, longRunning('term'));
    const pod = podName('term', 'term[0].sleep', 'sleep');
    await waitForLog(pod, 'started');
    await put('term', 'terminate');
    const wf = await waitForWorkflow(ctx, 'term', completed);
    expect(wf.status).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
    expect(nodeByName(wf, 'term[0].sleep')).toMatchObject({
      phase: 'Failed',
      message: 'workflow shutdown with strategy:  Terminate',
    });
    expect(nodesOf(wf).some((n) => n.name === 'term.onExit')).toBe(false);
    await waitForPod(pod, 'Failed');
    expect(ctx.logs.lines(NS, pod, 'main').map((l) => l.text)).toEqual(['started']);
    expect(sandbox.controller.activePods).toBe(0);
  });

  it('terminate also kills an exit handler that is already running', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'term-exit' },
      spec: {
        entrypoint: 'quick',
        onExit: 'slow',
        templates: [
          { name: 'quick', container: { image: 'alpine', command: ['true'] } },
          { name: 'slow', container: { image: 'alpine', command: ['sleep', '30'] } },
        ],
      },
    });
    await waitForWorkflow(ctx, 'term-exit', (wf) =>
      nodesOf(wf).some((n) => n.name === 'term-exit.onExit' && n.phase === 'Running'),
    );
    await put('term-exit', 'terminate');
    const wf = await waitForWorkflow(ctx, 'term-exit', completed);
    expect(wf.status).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
    expect(nodeByName(wf, 'term-exit.onExit')).toMatchObject({
      phase: 'Failed',
      message: 'workflow shutdown with strategy:  Terminate',
    });
  });

  it('stop kills the running step but runs the exit handler', async () => {
    const { ctx } = sandbox;
    submit(ctx, longRunning('stopped'));
    const pod = podName('stopped', 'stopped[0].sleep', 'sleep');
    await waitForLog(pod, 'started');
    await put('stopped', 'stop');
    const wf = await waitForWorkflow(ctx, 'stopped', completed);
    expect(wf.status).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Stop'" });
    expect(nodeByName(wf, 'stopped[0].sleep')).toMatchObject({
      phase: 'Failed',
      message: 'workflow shutdown with strategy:  Stop',
    });
    expect(nodeByName(wf, 'stopped.onExit')).toMatchObject({ phase: 'Succeeded' });
    await waitForPod(pod, 'Failed');
    expect(ctx.logs.lines(NS, pod, 'main').map((l) => l.text)).toEqual(['started']);
    expect(
      ctx.logs.lines(NS, podName('stopped', 'stopped.onExit', 'cleanup'), 'main').map((l) => l.text),
    ).toEqual(['cleaned up']);
  });

  it('continues from the failed step after the server resets the workflow (retry)', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'flaky-volume' },
      spec: {
        entrypoint: 'main',
        onExit: 'report',
        volumeClaimTemplates: [{ metadata: { name: 'work' } }],
        templates: [
          {
            name: 'main',
            steps: [[{ name: 'prepare', template: 'prepare' }], [{ name: 'consume', template: 'consume' }]],
          },
          {
            name: 'prepare',
            script: {
              image: 'alpine',
              command: ['sh'],
              source: 'echo prepared >> /work/log; echo prepare ran',
              volumeMounts: [{ name: 'work', mountPath: '/work' }],
            },
          },
          {
            name: 'report',
            container: {
              image: 'alpine',
              command: ['sh', '-c', 'echo "exit handler saw {{workflow.status}}"'],
            },
          },
          {
            name: 'consume',
            script: {
              image: 'alpine',
              command: ['sh'],
              source: 'cat /work/ready',
              volumeMounts: [{ name: 'work', mountPath: '/work' }],
            },
          },
        ],
      },
    });
    const failed = await waitForWorkflow(ctx, 'flaky-volume', completed);
    expect(failed.status.phase).toBe('Failed');
    // alpine's cat is busybox's, and says so its own way.
    expect(failed.status.message).toBe(
      "Error (exit code 1): cat: can't open '/work/ready': No such file or directory",
    );
    const prepareBefore = nodeByName(failed, 'flaky-volume[0].prepare');

    // What a person would fix before retrying: the missing input appears in the shared volume.
    writeFileSync(path.join(workDir('flaky-volume'), 'ready'), 'ready now\n');
    await put('flaky-volume', 'retry', { restartSuccessful: false, nodeFieldSelector: '', parameters: [] });
    const wf = await waitForWorkflow(ctx, 'flaky-volume', completed);
    expect(wf.status.phase).toBe('Succeeded');
    expect(wf.metadata.labels).toMatchObject({
      'workflows.argoproj.io/completed': 'true',
      'workflows.argoproj.io/phase': 'Succeeded',
    });
    expect(nodeByName(wf, 'flaky-volume[0].prepare')).toEqual(prepareBefore);
    expect(nodeByName(wf, 'flaky-volume[1].consume')).toMatchObject({ phase: 'Succeeded' });
    const consumePod = podName('flaky-volume', 'flaky-volume[1].consume', 'consume');
    expect(ctx.logs.lines(NS, consumePod, 'main').map((l) => l.text)).toEqual(['ready now']);
    expect(wf.status.progress).toBe('3/3');
    const exitLogs = ctx.logs.lines(NS, podName('flaky-volume', 'flaky-volume.onExit', 'report'), 'main');
    expect(exitLogs.map((l) => l.text)).toEqual(['exit handler saw Succeeded']);
  });

  it('starts no new step while suspended and carries on when resumed', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'paused' },
      spec: {
        entrypoint: 'main',
        templates: [
          { name: 'main', steps: [[{ name: 'a', template: 'wait' }], [{ name: 'b', template: 'wait' }]] },
          { name: 'wait', script: { image: 'alpine', command: ['sh'], source: 'sleep 0.8; echo done' } },
        ],
      },
    });
    await waitForWorkflow(ctx, 'paused', podRunning);
    await put('paused', 'suspend');
    const held = await waitForWorkflow(ctx, 'paused', (wf) =>
      nodesOf(wf).some((n) => n.name === 'paused[1].b'),
    );
    expect(nodeByName(held, 'paused[1].b').phase).toBe('Pending');
    expect(ctx.store.get(Kinds.Pod, NS, podName('paused', 'paused[1].b', 'wait'))).toBeUndefined();
    await put('paused', 'resume');
    const wf = await waitForWorkflow(ctx, 'paused', completed);
    expect(wf.status.phase).toBe('Succeeded');
  });

  it('picks up a Running workflow after a controller restart', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'restarted' },
      spec: {
        entrypoint: 'main',
        templates: [
          { name: 'main', steps: [[{ name: 'a', template: 'wait' }], [{ name: 'b', template: 'wait' }]] },
          { name: 'wait', script: { image: 'alpine', command: ['sh'], source: 'sleep 0.3; echo done' } },
        ],
      },
    });
    await waitForWorkflow(ctx, 'restarted', podRunning);
    sandbox.controller.stop();
    const next = new WorkflowController(ctx, { podScheduleDelayMs: 200, podStartDelayMs: 200 });
    sandbox.controller = next;
    next.start();
    const wf = await waitForWorkflow(ctx, 'restarted', completed);
    expect(wf.status.phase).toBe('Succeeded');
    expect(nodeByName(wf, 'restarted[1].b').outputs?.exitCode).toBe('0');
    expect(
      ctx.logs.lines(NS, podName('restarted', 'restarted[0].a', 'wait'), 'main').map((l) => l.text),
    ).toEqual(['done']);
  });

  function workDir(workflow: string): string {
    const dir = path.join(sandbox.ctx.config.dataDir, 'workflows', workflow, 'volumes', 'work');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  function waitForLog(pod: string, text: string): Promise<void> {
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        if (sandbox.ctx.logs.lines(NS, pod, 'main').some((l) => l.text === text)) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
  }

  function waitForPod(name: string, phase: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const pod = sandbox.ctx.store.get(Kinds.Pod, NS, name);
        if ((pod?.status as { phase?: string } | undefined)?.phase === phase) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(check, 10);
      check();
    });
  }

  describe('a suspend template (an approval)', () => {
    const approval = (name: string) => ({
      metadata: { name },
      spec: {
        entrypoint: 'main',
        templates: [
          {
            name: 'main',
            steps: [[{ name: 'approval', template: 'wait' }], [{ name: 'deploy', template: 'deploy' }]],
          },
          { name: 'wait', suspend: {} },
          { name: 'deploy', container: { image: 'alpine', command: ['sh', '-c', 'echo deployed'] } },
        ],
      },
    });
    const request = async (wf: string, action: string, body: unknown) =>
      fetch(`${argo.url}/api/v1/workflows/${NS}/${wf}/${action}`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${sandbox.ctx.config.argoToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const suspended = (wf: { status: Record<string, unknown> }): boolean =>
      nodesOf(wf).some((n) => n.type === 'Suspend' && n.phase === 'Running');

    it('waits Running at a Suspend node until resumed by a node field selector, then goes on', async () => {
      submit(sandbox.ctx, approval('approve'));
      await waitForWorkflow(sandbox.ctx, 'approve', suspended);
      // A selector that matches no active Suspend node is refused as Argo refuses it.
      const wrong = await request('approve', 'resume', { nodeFieldSelector: 'displayName=nope' });
      expect(wrong.status).toBe(500);
      expect(((await wrong.json()) as { message: string }).message).toBe(
        'currently, set only targets suspend nodes: no suspend nodes matching nodeFieldSelector: displayName=nope',
      );
      expect((await request('approve', 'resume', { nodeFieldSelector: 'displayName=approval' })).status).toBe(
        200,
      );
      const wf = await waitForWorkflow(sandbox.ctx, 'approve', completed);
      expect(wf.status).toMatchObject({ phase: 'Succeeded' });
      expect(nodeByName(wf, 'approve[0].approval')).toMatchObject({ type: 'Suspend', phase: 'Succeeded' });
      expect(nodeByName(wf, 'approve[1].deploy')).toMatchObject({ phase: 'Succeeded' });
    });

    it('fails the node and the workflow when stopped by a node field selector, running nothing after it', async () => {
      submit(sandbox.ctx, approval('reject'));
      await waitForWorkflow(sandbox.ctx, 'reject', suspended);
      const stopped = await request('reject', 'stop', {
        nodeFieldSelector: 'templateName=wait',
        message: 'rejected by bob',
      });
      expect(stopped.status).toBe(200);
      const wf = await waitForWorkflow(sandbox.ctx, 'reject', completed);
      expect(wf.status).toMatchObject({ phase: 'Failed' });
      expect(nodeByName(wf, 'reject[0].approval')).toMatchObject({
        phase: 'Failed',
        message: 'rejected by bob',
      });
      expect(nodesOf(wf).some((n) => n.displayName === 'deploy')).toBe(false);
    });

    // operator.go failNodesWithoutCreatedPodsAfterDeadlineOrShutdown: an active Suspend node has no
    // pod to kill, so a shutdown fails it directly and the workflow ends (a cancelled approval).
    it.each(['Terminate', 'Stop'])(
      'fails the waiting node when the workflow is shut down (%s)',
      async (strategy) => {
        const name = `shut-${strategy.toLowerCase()}`;
        submit(sandbox.ctx, approval(name));
        await waitForWorkflow(sandbox.ctx, name, suspended);
        expect((await request(name, strategy.toLowerCase(), {})).status).toBe(200);
        const wf = await waitForWorkflow(sandbox.ctx, name, completed);
        expect(wf.status).toMatchObject({ phase: 'Failed', message: `Stopped with strategy '${strategy}'` });
        expect(nodeByName(wf, `${name}[0].approval`)).toMatchObject({
          phase: 'Failed',
          message: `Stopped with strategy '${strategy}'`,
        });
        expect(nodesOf(wf).some((n) => n.displayName === 'deploy')).toBe(false);
      },
    );
  });
});
