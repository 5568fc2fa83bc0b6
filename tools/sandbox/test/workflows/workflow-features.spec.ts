import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { Kinds } from '../../src/core/resource-kinds';
import { gitClient } from '../git/git-test-kit';
import {
  completed,
  createRepo,
  nodeByName,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

const say = (name: string, text: string, extra: Record<string, unknown> = {}) => ({
  name,
  script: { image: 'alpine', command: ['sh'], source: text },
  ...extra,
});

describe('workflow features', () => {
  let sandbox: WorkflowSandbox;
  let source: string;

  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
    const { ctx } = sandbox;
    source = await createRepo(ctx, 'source');
    const client = gitClient();
    await client.git(['clone', '-q', source, 's']);
    const work = path.join(client.home, 's');
    writeFileSync(path.join(work, 'app.txt'), 'v1\n');
    await client.git(['add', '.'], work);
    await client.git(['commit', '-q', '-m', 'v1'], work);
    await client.git(['push', '-q', 'origin', 'HEAD:main'], work);
  });
  afterAll(() => sandbox.close());

  it('loads git and raw input artifacts before the main container', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'artifacts' },
      spec: {
        entrypoint: 'show',
        arguments: { parameters: [{ name: 'repo', value: source }] },
        templates: [
          {
            name: 'show',
            inputs: {
              artifacts: [
                {
                  name: 'src',
                  path: '/src',
                  git: { repo: '{{workflow.parameters.repo}}', revision: 'main', depth: 1 },
                },
                { name: 'note', path: '/tmp/note.txt', raw: { data: 'raw data' } },
                { name: 'cache', path: '/cache', optional: true, s3: { key: 'x' } },
              ],
            },
            script: { image: 'alpine', command: ['sh'], source: 'cat /src/app.txt /tmp/note.txt' },
          },
        ],
      },
    });
    const wf = await waitForWorkflow(ctx, 'artifacts', completed);
    expect(wf.status.phase).toBe('Succeeded');
    expect(nodeByName(wf, 'artifacts').outputs?.result).toBe('v1\nraw data');
  });

  it('fails clearly on a loop it does not expand', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'loops' },
      spec: {
        entrypoint: 'main',
        templates: [
          { name: 'main', steps: [[{ name: 'each', template: 'x', withItems: [1, 2] }]] },
          say('x', 'echo x'),
        ],
      },
    });
    const wf = await waitForWorkflow(ctx, 'loops', completed);
    expect(wf.status).toMatchObject({
      phase: 'Failed',
      message: 'sandbox does not expand withItems loops (step or task "each")',
    });
  });

  it('omits dependents of a failed task and, without failFast, runs the rest', async () => {
    const { ctx } = sandbox;
    submit(ctx, {
      metadata: { name: 'dag-fail' },
      spec: {
        entrypoint: 'main',
        templates: [
          {
            name: 'main',
            dag: {
              failFast: false,
              tasks: [
                { name: 'A', template: 'fail' },
                { name: 'B', template: 'ok', dependencies: ['A'] },
                { name: 'C', template: 'ok' },
                { name: 'D', template: 'ok', depends: 'A.Failed' },
              ],
            },
          },
          say('fail', 'echo "intentional failure" >&2; exit 2'),
          say('ok', 'echo ok'),
        ],
      },
    });
    const wf = await waitForWorkflow(ctx, 'dag-fail', completed);
    expect(wf.status).toMatchObject({ phase: 'Failed', message: 'Error (exit code 2): intentional failure' });
    expect(nodeByName(wf, 'dag-fail.B')).toMatchObject({
      type: 'Skipped',
      phase: 'Omitted',
      message: 'omitted: depends condition not met',
    });
    expect(nodeByName(wf, 'dag-fail.C').phase).toBe('Succeeded');
    expect(nodeByName(wf, 'dag-fail.D').phase).toBe('Succeeded');
    expect(nodeByName(wf, 'dag-fail.A').children?.sort()).toEqual(
      [nodeByName(wf, 'dag-fail.B').id, nodeByName(wf, 'dag-fail.D').id].sort(),
    );
  });

  it('uses templates of other WorkflowTemplates and reports exhausted retries', async () => {
    const { ctx } = sandbox;
    ctx.store.create(Kinds.WorkflowTemplate, {
      metadata: { name: 'library', namespace: NS },
      spec: {
        templates: [
          say('always-fails', 'echo "attempt {{retries}} failed" >&2; exit 1', {
            retryStrategy: { limit: '1' },
          }),
        ],
      },
    });
    submit(ctx, {
      metadata: { name: 'ref' },
      spec: {
        entrypoint: 'main',
        templates: [
          {
            name: 'main',
            steps: [[{ name: 'lib', templateRef: { name: 'library', template: 'always-fails' } }]],
          },
        ],
      },
    });
    const wf = await waitForWorkflow(ctx, 'ref', completed);
    expect(nodeByName(wf, 'ref[0].lib')).toMatchObject({
      type: 'Retry',
      phase: 'Failed',
      message: 'No more retries left',
    });
    expect(nodeByName(wf, 'ref[0].lib(1)').message).toBe('Error (exit code 1): attempt 1 failed');
    expect(wf.status).toMatchObject({
      phase: 'Failed',
      message: 'Error (exit code 1): attempt 1 failed',
      progress: '2/2',
    });
  });
});
