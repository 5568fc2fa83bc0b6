import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kinds } from '../../src/core/resource-kinds';
import { podName } from '../../src/argo-workflows/controller';
import { gitClient } from '../git/git-test-kit';
import { sampleTemplate } from './sample-template';
import {
  completed,
  createRepo,
  signedRepoUrl,
  eventsOf,
  getWorkflow,
  nodeByName,
  nodesOf,
  NS,
  recordPhases,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

describe('WorkflowController running a WorkflowTemplate', () => {
  let sandbox: WorkflowSandbox;
  let repo: string;

  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
    const { ctx } = sandbox;
    ctx.store.create(Kinds.WorkflowTemplate, sampleTemplate());
    repo = await createRepo(ctx, 'payments');
    const client = gitClient();
    await client.git(['clone', repo, 'p']);
    const work = path.join(client.home, 'p');
    await client.git(['commit', '--allow-empty', '-q', '-m', 'init'], work);
    await client.git(['push', '-q', 'origin', 'main'], work);
  });
  afterAll(() => sandbox.close());

  it('runs steps, retries, a DAG and the exit handler to Succeeded with Argo-shaped status', async () => {
    const { ctx } = sandbox;
    const phases = recordPhases(ctx, 'sample-1');
    submit(ctx, {
      metadata: { name: 'sample-1', labels: { 'workflows.argoproj.io/workflow-template': 'sample' } },
      spec: {
        workflowTemplateRef: { name: 'sample' },
        arguments: { parameters: [{ name: 'repo', value: repo }] },
      },
    });
    const wf = await waitForWorkflow(ctx, 'sample-1', completed);
    const { status } = wf;
    expect(status.phase).toBe('Succeeded');
    expect(status.message).toBeUndefined();
    expect(phases).toEqual(['', 'Pending', 'Running', 'Succeeded']);
    expect(wf.metadata.labels).toMatchObject({
      'workflows.argoproj.io/phase': 'Succeeded',
      'workflows.argoproj.io/completed': 'true',
      'workflows.argoproj.io/workflow-template': 'sample',
    });
    expect(typeof status.startedAt).toBe('string');
    expect(typeof status.finishedAt).toBe('string');

    // 1 clone + commit + 2 flaky attempts + short + greet + report + exit handler
    expect(status.progress).toBe('8/8');

    const root = nodeByName(wf, 'sample-1');
    expect(root).toMatchObject({
      id: 'sample-1',
      type: 'Steps',
      displayName: 'sample-1',
      templateName: 'main',
      phase: 'Succeeded',
    });
    expect(root.outputs?.parameters?.[0]).toMatchObject({
      name: 'summary',
      value: expect.stringMatching(/^built [0-9a-f]{7}$/),
    });
    const group0 = nodeByName(wf, 'sample-1[0]');
    expect(group0).toMatchObject({ type: 'StepGroup', displayName: '[0]', boundaryID: 'sample-1' });
    expect(root.children).toEqual([group0.id]);

    const clone = nodeByName(wf, 'sample-1[0].clone');
    expect(clone).toMatchObject({
      type: 'Pod',
      displayName: 'clone',
      templateName: 'clone',
      boundaryID: 'sample-1',
      progress: '1/1',
      hostNodeName: 'sandbox-node',
    });
    expect(clone.outputs?.exitCode).toBe('0');
    expect(group0.children).toEqual([clone.id]);
    // The next group hangs below the outbound nodes of the previous one.
    expect(clone.children).toEqual([nodeByName(wf, 'sample-1[1]').id]);

    const flaky = nodeByName(wf, 'sample-1[1].flaky');
    expect(flaky).toMatchObject({ type: 'Retry', phase: 'Succeeded', displayName: 'flaky' });
    const attempt0 = nodeByName(wf, 'sample-1[1].flaky(0)');
    const attempt1 = nodeByName(wf, 'sample-1[1].flaky(1)');
    expect(flaky.children).toEqual([attempt0.id, attempt1.id]);
    expect(attempt0).toMatchObject({
      type: 'Pod',
      phase: 'Failed',
      displayName: 'flaky(0)',
      message: 'Error (exit code 3): first attempt fails',
    });
    expect(attempt0.outputs?.exitCode).toBe('3');
    expect(attempt1).toMatchObject({ type: 'Pod', phase: 'Succeeded' });

    const commit = nodeByName(wf, 'sample-1[1].commit');
    const sha = commit.outputs?.parameters?.find((p) => p.name === 'sha')?.value ?? '';
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(status.outputs).toEqual({
      parameters: [
        { name: 'commit-sha', value: sha },
        { name: 'final-status', value: 'sample-1 ended Succeeded' },
      ],
    });

    const dag = nodeByName(wf, 'sample-1[2].build');
    expect(dag).toMatchObject({ type: 'DAG', phase: 'Succeeded', progress: '3/3' });
    const short = nodeByName(wf, 'sample-1[2].build.short');
    expect(short).toMatchObject({ displayName: 'short', boundaryID: dag.id });
    expect(short.outputs?.result).toBe(sha.slice(0, 7));
    const report = nodeByName(wf, 'sample-1[2].build.report');
    expect(report.outputs?.result).toBe(`built ${sha.slice(0, 7)}`);
    expect(nodeByName(wf, 'sample-1[2].build.greet').children).toEqual([report.id]);
    expect(dag.outboundNodes).toEqual([report.id]);

    expect(nodeByName(wf, 'sample-1[2].never')).toMatchObject({
      type: 'Skipped',
      phase: 'Skipped',
      message: `when '${sha} == nope' evaluated false`,
    });
    expect(nodeByName(wf, 'sample-1.onExit')).toMatchObject({
      type: 'Pod',
      phase: 'Succeeded',
      displayName: 'sample-1.onExit',
    });
    for (const node of nodesOf(wf)) {
      expect(node.finishedAt).not.toBeNull();
      expect(node.startedAt).not.toBeNull();
    }

    // The push really happened.
    const client = gitClient();
    await client.git(['clone', '-q', repo, 'check']);
    const checkout = path.join(client.home, 'check');
    expect(readFileSync(path.join(checkout, 'message.txt'), 'utf8')).toBe('hello from the template\n');
    expect((await client.git(['log', '-1', '--format=%H %an'], checkout)).out.trim()).toBe(`${sha} sample`);
  });

  it('creates one Pod per Pod node, with Argo names, labels, container statuses, logs and events', () => {
    const { ctx } = sandbox;
    const wf = getWorkflow(ctx, 'sample-1');
    const podNodes = nodesOf(wf).filter((n) => n.type === 'Pod');
    const pods = ctx.store
      .list(Kinds.Pod, { namespace: NS })
      .items.filter((p) => p.metadata.labels?.['workflows.argoproj.io/workflow'] === 'sample-1');
    expect(pods.map((p) => p.metadata.name).sort()).toEqual(
      podNodes.map((n) => podName('sample-1', n.name, n.templateName ?? '')).sort(),
    );

    const commitNode = nodeByName(wf, 'sample-1[1].commit');
    const name = podName('sample-1', commitNode.name, 'commit');
    const pod = ctx.store.mustGet(Kinds.Pod, NS, name);
    expect(pod.metadata.labels).toEqual({
      'workflows.argoproj.io/workflow': 'sample-1',
      'workflows.argoproj.io/completed': 'true',
    });
    expect(pod.metadata.annotations).toMatchObject({
      'workflows.argoproj.io/node-name': 'sample-1[1].commit',
      'workflows.argoproj.io/node-id': commitNode.id,
    });
    const spec = pod.spec as { containers: Array<{ name: string; image: string }>; nodeName: string };
    expect(spec.containers.map((c) => c.name)).toEqual(['wait', 'main']);
    expect(spec.containers[1]?.image).toBe('alpine/git:v2.45.2');
    const podStatus = pod.status as {
      phase: string;
      containerStatuses: Array<{
        name: string;
        state: { terminated?: { exitCode: number; reason: string } };
      }>;
    };
    expect(podStatus.phase).toBe('Succeeded');
    expect(podStatus.containerStatuses.find((c) => c.name === 'main')?.state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });

    const lines = ctx.logs.lines(NS, name, 'main').map((l) => l.text);
    expect(lines).toEqual([`pushed ${commitNode.outputs?.parameters?.[0]?.value ?? ''}`]);
    expect(ctx.logs.ended(NS, name, 'main')).toBe(true);

    const podEvents = eventsOf(ctx, 'Pod', name).map((e) => e.reason);
    expect(podEvents).toEqual(expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started']));

    const wfEvents = eventsOf(ctx, 'Workflow', 'sample-1');
    const reasons = wfEvents.map((e) => e.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'WorkflowRunning',
        'WorkflowSucceeded',
        'WorkflowNodeRunning',
        'WorkflowNodeSucceeded',
        'WorkflowNodeFailed',
      ]),
    );
    expect(wfEvents).toContainEqual({
      reason: 'WorkflowNodeFailed',
      type: 'Warning',
      message: 'Failed node sample-1[1].flaky(0): Error (exit code 3): first attempt fails',
    });
    expect(wfEvents).toContainEqual({
      reason: 'WorkflowSucceeded',
      type: 'Normal',
      message: 'Workflow completed',
    });
  });

  it("ends Failed with the failing step's message, e.g. git's own for a missing repository", async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'sample-missing' },
      spec: {
        workflowTemplateRef: { name: 'sample' },
        arguments: { parameters: [{ name: 'repo', value: signedRepoUrl(ctx, 'payments/missing') }] },
      },
    });
    const wf = await waitForWorkflow(ctx, 'sample-missing', completed);
    expect(wf.status.phase).toBe('Failed');
    expect(wf.status.message).toBe(
      `Error (exit code 128): fatal: repository '${ctx.urls.git}/payments/missing.git/' not found`,
    );
    expect(nodeByName(wf, 'sample-missing[0]').message).toBe(
      `child '${nodeByName(wf, 'sample-missing[0].clone').id}' failed`,
    );
    expect(nodeByName(wf, 'sample-missing')).toMatchObject({ phase: 'Failed' });
    // The exit handler still ran and saw the failure.
    expect(wf.status.outputs).toEqual({
      parameters: [{ name: 'final-status', value: 'sample-missing ended Failed' }],
    });
    expect(wf.metadata.labels).toMatchObject({
      'workflows.argoproj.io/phase': 'Failed',
      'workflows.argoproj.io/completed': 'true',
    });
    expect(eventsOf(ctx, 'Workflow', 'sample-missing')).toContainEqual({
      reason: 'WorkflowFailed',
      type: 'Warning',
      message: wf.status.message,
    });
  });

  it('fails a step whose image the sandbox cannot run, saying so', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'unknown-image' },
      spec: {
        entrypoint: 'db',
        templates: [{ name: 'db', container: { image: 'mysql:8.4', command: ['mysqld'] } }],
      },
    });
    const wf = await waitForWorkflow(ctx, 'unknown-image', completed);
    expect(wf.status.phase).toBe('Failed');
    expect(wf.status.message).toMatch(
      /^sandbox cannot run image "mysql:8.4": the sandbox does not know this image: it runs a step only as an image of its image manifest would run it \(alpine, /,
    );
    const pod = ctx.store.mustGet(Kinds.Pod, NS, 'unknown-image');
    expect(pod.status).toMatchObject({ phase: 'Failed', reason: 'SandboxUnsupportedImage' });
  });

  it('rejects a workflow whose template does not exist with phase Error', async () => {
    const { ctx } = sandbox;
    submit(ctx, { metadata: { name: 'no-template' }, spec: { workflowTemplateRef: { name: 'nope' } } });
    const wf = await waitForWorkflow(ctx, 'no-template', completed);
    expect(wf.status).toMatchObject({
      phase: 'Error',
      message: 'workflowtemplates.argoproj.io "nope" not found',
    });
  });

  it('keeps its work directory under dataDir/workflows/<name>', () => {
    const dir = path.join(
      sandbox.ctx.config.dataDir,
      'workflows',
      'sample-1',
      'volumes',
      'work',
      'repo',
      'message.txt',
    );
    expect(readFileSync(dir, 'utf8')).toBe('hello from the template\n');
  });
});
