import type { NodeStatus, Workflow } from '@platform/upstream-types';
import { Annotations, Labels } from './labels';
import { appNameProblem, gitRefProblem, imageTagProblem } from './naming';
import { taskFromWorkflow } from './workflow-to-task';

const links = {
  self: (id: string) => `/task/v1/tasks/${id}`,
  stream: (id: string) => `/monitoring/v1/tasks/${id}/stream`,
};

function workflow(
  overrides: {
    phase?: string;
    type?: string;
    message?: string;
    shutdown?: string;
    nodes?: NodeStatus[];
    outputs?: Record<string, string>;
  } = {},
): Workflow {
  return {
    metadata: {
      name: 'ci-shop-x7k2p',
      creationTimestamp: '2026-11-26T10:00:00Z',
      labels: {
        [Labels.app]: 'shop',
        [Labels.team]: 'payments',
        [Labels.taskType]: overrides.type ?? 'ci',
        [Labels.requestedBy]: 'alice',
      },
    },
    spec: {
      workflowTemplateRef: { name: 'ci' },
      arguments: {
        parameters: [
          { name: 'app', value: 'shop' },
          { name: 'ref', value: 'main' },
        ],
      },
      ...(overrides.shutdown ? { shutdown: overrides.shutdown } : {}),
    },
    status: {
      phase: (overrides.phase ?? 'Succeeded') as never,
      startedAt: '2026-11-26T10:00:01Z',
      finishedAt: overrides.phase === 'Running' ? null : '2026-11-26T10:02:00Z',
      progress: '2/2',
      message: overrides.message,
      nodes: Object.fromEntries((overrides.nodes ?? []).map((n) => [n.id, n])),
      outputs: {
        parameters: Object.entries(overrides.outputs ?? {}).map(([name, value]) => ({ name, value })),
      },
    },
  };
}

const pod = (id: string, name: string, phase: string, startedAt: string, message?: string): NodeStatus => ({
  id,
  name: `ci-shop-x7k2p.${name}`,
  displayName: name,
  type: 'Pod',
  phase: phase as never,
  startedAt,
  finishedAt: startedAt,
  message,
});

describe(taskFromWorkflow.name, () => {
  it('maps a succeeded CI workflow with its typed result', () => {
    const task = taskFromWorkflow(
      workflow({
        nodes: [
          pod('n2', 'build-push', 'Succeeded', '2026-11-26T10:01:00Z'),
          pod('n1', 'clone', 'Succeeded', '2026-11-26T10:00:02Z'),
        ],
        outputs: { image: 'registry.local/payments/shop:abc123', digest: 'sha256:00ff', commit: 'abc123' },
      }),
      links,
    );
    expect(task).toMatchObject({
      id: 'ci-shop-x7k2p',
      type: 'ci',
      app: 'shop',
      team: 'payments',
      phase: 'Succeeded',
      progress: { done: 2, total: 2 },
      parameters: { app: 'shop', ref: 'main' },
      result: { image: 'registry.local/payments/shop:abc123', digest: 'sha256:00ff', commit: 'abc123' },
      error: null,
      requestedBy: 'alice',
      links: { self: '/task/v1/tasks/ci-shop-x7k2p', stream: '/monitoring/v1/tasks/ci-shop-x7k2p/stream' },
    });
    expect(task.steps.map((s) => s.name)).toEqual(['clone', 'build-push']);
  });

  it('takes the exact requester from the annotation, the label standing in for it otherwise', () => {
    const wf = workflow();
    expect(taskFromWorkflow(wf, links).requestedBy).toBe('alice');
    wf.metadata.labels = { ...wf.metadata.labels, [Labels.requestedBy]: 'alice_example.com' };
    wf.metadata.annotations = { [Annotations.requestedBy]: 'alice@example.com' };
    expect(taskFromWorkflow(wf, links).requestedBy).toBe('alice@example.com');
  });

  it('orders steps started within the same second by their place in the node graph', () => {
    const group = (id: string, children: string[]): NodeStatus => ({
      id,
      name: id,
      type: 'StepGroup',
      phase: 'Succeeded',
      children,
    });
    const at = '2026-11-26T10:00:02Z';
    // Listed out of order on purpose: Argo's node map has no order.
    const nodes: NodeStatus[] = [
      { ...pod('p3', 'push', 'Succeeded', at) },
      { ...pod('p2', 'build', 'Succeeded', at), children: ['g3'] },
      group('g3', ['p3']),
      { ...pod('p1', 'clone', 'Succeeded', at), children: ['g2'] },
      group('g2', ['p2']),
      { id: 'root', name: 'ci-shop-x7k2p', type: 'Steps', phase: 'Succeeded', children: ['g1'] },
      group('g1', ['p1']),
    ];
    const task = taskFromWorkflow(workflow({ nodes }), links);
    expect(task.steps.map((step) => step.name)).toEqual(['clone', 'build', 'push']);
  });

  it('maps a failed workflow to the failing step and its message', () => {
    const task = taskFromWorkflow(
      workflow({
        phase: 'Failed',
        message: 'child failed',
        nodes: [
          pod(
            'n1',
            'clone',
            'Failed',
            '2026-11-26T10:00:02Z',
            'fatal: Remote branch nope not found in upstream origin',
          ),
        ],
      }),
      links,
    );
    expect(task.phase).toBe('Failed');
    expect(task.result).toBeNull();
    expect(task.error).toEqual({
      step: 'clone',
      message: 'fatal: Remote branch nope not found in upstream origin',
    });
  });

  it.each([
    [{ phase: 'Failed', shutdown: 'Terminate', message: "Stopped with strategy 'Terminate'" }, 'Cancelled'],
    [{ phase: 'Failed', message: "Stopped with strategy 'Stop'" }, 'Cancelled'],
    [{ phase: 'Error', message: 'pod deleted' }, 'Failed'],
    [{ phase: '' }, 'Pending'],
    [{ phase: 'Pending' }, 'Pending'],
    [{ phase: 'Running' }, 'Running'],
  ])('maps %j to %s', (overrides, phase) => {
    expect(taskFromWorkflow(workflow(overrides), links).phase).toBe(phase);
  });

  it.each([
    [
      'create',
      { 'source-repo-url': 'http://git/shop.git', 'argocd-app': 'shop' },
      { sourceRepoUrl: 'http://git/shop.git', argocdApp: 'shop', sourceCommit: null },
    ],
    [
      'cd',
      { 'synced-revision': 'abc', health: 'Healthy', environment: 'dev' },
      { syncedRevision: 'abc', health: 'Healthy', environment: 'dev' },
    ],
  ])('types the %s result', (type, outputs, expected) => {
    expect(taskFromWorkflow(workflow({ type, outputs }), links).result).toMatchObject(expected);
  });

  it("reports a deploy's digest from the annotation its submission left", () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const wf = workflow({ type: 'cd', outputs: { image: 'r/t/a:v1' } });
    wf.metadata.annotations = { [Annotations.imageDigest]: digest };
    expect(taskFromWorkflow(wf, links).result).toMatchObject({ image: 'r/t/a:v1', digest });
    expect(taskFromWorkflow(workflow({ type: 'cd', outputs: {} }), links).result).toMatchObject({
      digest: null,
    });
  });
});

describe('naming rules', () => {
  it.each([
    ['shop', undefined],
    ['a-b-1', undefined],
    ['Shop', 'must be a DNS-1123 label'],
    ['-shop', 'must be a DNS-1123 label'],
    ['x'.repeat(41), 'must be at most 40 characters'],
  ])('app name %s', (name, problem) => {
    const found = appNameProblem(name);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it.each([
    ['main', true],
    ['release/1.2', true],
    ['v1.0.0', true],
    ['a1b2c3d4', true],
    ['--upload-pack=x', false],
    ['a..b', false],
    ['x;rm -rf /', false],
    ['feature/', false],
  ])('git ref %s valid=%s', (ref, valid) => {
    expect(gitRefProblem(ref) === undefined).toBe(valid);
  });

  it.each([
    ['1.0.0', true],
    ['abc123', true],
    ['latest', true],
    ['.bad', false],
    ['a b', false],
  ])('image tag %s valid=%s', (tag, valid) => {
    expect(imageTagProblem(tag) === undefined).toBe(valid);
  });
});
