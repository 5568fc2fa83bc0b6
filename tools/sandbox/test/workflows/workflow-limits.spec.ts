import { Kinds } from '../../src/core/resource-kinds';
import { eventually } from '../../src/testing/eventually';
import {
  completed,
  getWorkflow,
  nodeByName,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

const sh = (name: string, source: string, extra: Record<string, unknown> = {}) => ({
  name,
  script: { image: 'alpine', command: ['sh'], source },
  ...extra,
});

/** The pods of a workflow still in the store, by template. */
function podsOf(sandbox: WorkflowSandbox, workflow: string): string[] {
  return sandbox.ctx.store
    .list(Kinds.Pod, { namespace: NS })
    .items.filter((p) => p.metadata.labels?.['workflows.argoproj.io/workflow'] === workflow)
    .map((p) => p.metadata.name ?? '')
    .sort();
}

describe('activeDeadlineSeconds, podGC and ttlStrategy, as Argo applies them', () => {
  let sandbox: WorkflowSandbox;
  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
  });
  afterAll(() => sandbox.close());

  it("a template's activeDeadlineSeconds is the pod's: kubelet fails it past the deadline", async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'slow-step' },
      spec: {
        entrypoint: 'slow',
        templates: [
          {
            name: 'slow',
            activeDeadlineSeconds: 2,
            script: {
              image: 'alpine',
              command: ['sh'],
              source: 'sleep 60',
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '1', memory: '64Mi' } },
            },
          },
        ],
      },
    });
    const wf = await waitForWorkflow(ctx, 'slow-step', completed);
    expect(wf.status).toMatchObject({
      phase: 'Failed',
      message: 'Pod was active on the node longer than the specified deadline',
    });
    const pod = ctx.store.mustGet(Kinds.Pod, NS, 'slow-step');
    expect((pod.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds).toBe(2);
    // Requests below limits: the API server's QoS class is Burstable.
    expect((pod.status as { qosClass?: string }).qosClass).toBe('Burstable');
    expect(pod.status).toMatchObject({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
  });

  it("the workflow's activeDeadlineSeconds stops its steps, starts no more, and still runs the exit handler", async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'slow-workflow' },
      spec: {
        entrypoint: 'main',
        onExit: 'cleanup',
        activeDeadlineSeconds: 4,
        templates: [
          {
            name: 'main',
            steps: [[{ name: 'wait', template: 'wait' }], [{ name: 'never', template: 'never' }]],
          },
          sh('wait', 'sleep 60'),
          sh('never', 'echo never'),
          sh('cleanup', 'echo cleaned up'),
        ],
      },
    });
    const wf = await waitForWorkflow(ctx, 'slow-workflow', completed);
    expect(wf.status).toMatchObject({ phase: 'Failed', message: 'Step exceeded its deadline' });
    expect(nodeByName(wf, 'slow-workflow[0].wait')).toMatchObject({
      phase: 'Failed',
      message: 'Step exceeded its deadline',
    });
    expect(() => nodeByName(wf, 'slow-workflow[1].never')).toThrow();
    expect(nodeByName(wf, 'slow-workflow.onExit').phase).toBe('Succeeded');
  });

  // operator.go failNodesWithoutCreatedPodsAfterDeadlineOrShutdown: a Suspend node has no pod for
  // the kubelet to stop, so past the workflow's deadline the controller fails it itself.
  it("the workflow's activeDeadlineSeconds fails a step waiting at a suspend (an approval nobody gave)", async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'unapproved' },
      spec: {
        entrypoint: 'main',
        activeDeadlineSeconds: 3,
        templates: [
          {
            name: 'main',
            steps: [[{ name: 'approval', template: 'wait' }], [{ name: 'never', template: 'never' }]],
          },
          { name: 'wait', suspend: {} },
          sh('never', 'echo never'),
        ],
      },
    });
    const wf = await waitForWorkflow(ctx, 'unapproved', completed);
    expect(wf.status).toMatchObject({ phase: 'Failed' });
    expect(nodeByName(wf, 'unapproved[0].approval')).toMatchObject({
      type: 'Suspend',
      phase: 'Failed',
      message: 'Step exceeded its deadline',
    });
    expect(() => nodeByName(wf, 'unapproved[1].never')).toThrow();
  });

  it('podGC OnPodSuccess deletes succeeded pods after deleteDelayDuration and keeps failed ones', async () => {
    const { ctx } = sandbox;
    // Every pod as it was created, before any deletion: name and Argo's podGC annotation.
    const created = new Map<string, string | undefined>();
    const watch = ctx.store.watch(Kinds.Pod, { namespace: NS }, (event) => {
      const { name = '', labels, annotations } = event.object.metadata;
      if (event.type === 'ADDED' && labels?.['workflows.argoproj.io/workflow'] === 'gc-success')
        created.set(name, annotations?.['workflows.argoproj.io/pod-gc-strategy']);
    });
    submit(ctx, {
      metadata: { name: 'gc-success' },
      spec: {
        entrypoint: 'main',
        podGC: { strategy: 'OnPodSuccess', deleteDelayDuration: '3s' },
        templates: [
          { name: 'main', steps: [[{ name: 'ok', template: 'ok' }], [{ name: 'bad', template: 'bad' }]] },
          sh('ok', 'echo fine'),
          sh('bad', 'exit 3'),
        ],
      },
    });
    const wf = await waitForWorkflow(ctx, 'gc-success', completed);
    watch.close();
    expect(wf.status.phase).toBe('Failed');
    expect(nodeByName(wf, 'gc-success[0].ok').phase).toBe('Succeeded');
    const okPod = [...created.keys()].find((p) => p.includes('-ok-')) ?? '';
    expect(created.get(okPod)).toBe('OnPodSuccess/3s');
    await eventually(() => expect(podsOf(sandbox, 'gc-success')).toEqual([expect.stringContaining('-bad-')]));
    expect(ctx.logs.lines(NS, okPod, 'main')).toEqual([]);
  });

  it('podGC OnWorkflowCompletion keeps every pod until the workflow completes, labelSelector picks them', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'gc-workflow' },
      spec: {
        entrypoint: 'main',
        podGC: { strategy: 'OnWorkflowCompletion', labelSelector: { matchLabels: { collect: 'yes' } } },
        templates: [
          {
            name: 'main',
            steps: [[{ name: 'first', template: 'first' }], [{ name: 'second', template: 'second' }]],
          },
          sh('first', 'echo one', { metadata: { labels: { collect: 'yes' } } }),
          sh('second', 'echo two'),
        ],
      },
    });
    const wf = await waitForWorkflow(ctx, 'gc-workflow', completed);
    expect(wf.status.phase).toBe('Succeeded');
    await eventually(() =>
      expect(podsOf(sandbox, 'gc-workflow')).toEqual([expect.stringContaining('-second-')]),
    );
  });

  it('ttlStrategy deletes a workflow secondsAfterSuccess after it finished, its pods with it', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'ttl-failed' },
      spec: {
        entrypoint: 'bad',
        ttlStrategy: { secondsAfterSuccess: 2, secondsAfterFailure: 3600 },
        templates: [sh('bad', 'exit 1')],
      },
    });
    submit(ctx, {
      metadata: { name: 'ttl-ok' },
      spec: {
        entrypoint: 'ok',
        ttlStrategy: { secondsAfterSuccess: 2, secondsAfterFailure: 3600 },
        templates: [sh('ok', 'echo fine')],
      },
    });
    // Both waits start now: the succeeded one is gone two (simulated) seconds after it ends.
    const [, ok] = await Promise.all([
      waitForWorkflow(ctx, 'ttl-failed', completed),
      waitForWorkflow(ctx, 'ttl-ok', completed),
    ]);
    expect(ok.status.phase).toBe('Succeeded');
    await eventually(() => expect(ctx.store.get(Kinds.Workflow, NS, 'ttl-ok')).toBeUndefined());
    expect(podsOf(sandbox, 'ttl-ok')).toEqual([]);
    // The failed one has an hour: it is still there when the succeeded one is gone.
    expect(getWorkflow(ctx, 'ttl-failed').status.phase).toBe('Failed');
  });
});
