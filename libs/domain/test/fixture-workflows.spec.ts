import type { Workflow } from '@platform/upstream-types';
import { taskFromWorkflow } from '../src/workflow-to-task';
import { hasShared, readFixture } from './shared-fixtures';

const links = {
  self: (id: string) => `/task/v1/tasks/${id}`,
  stream: (id: string) => `/monitoring/v1/tasks/${id}/stream`,
};

const cases: Array<{
  file: string;
  phase: string;
  progress: { done: number; total: number };
  steps: Array<[string, string]>;
  error: { step: string | null; message: string } | null;
}> = [
  {
    file: 'workflow-dag-failed-completed.yaml',
    phase: 'Failed',
    progress: { done: 5, total: 5 },
    steps: [
      ['A', 'Succeeded'],
      ['B', 'Succeeded'],
      ['C', 'Failed'],
      ['D', 'Succeeded'],
      ['E', 'Succeeded'],
    ],
    error: { step: 'C', message: 'failed with exit code 2' },
  },
  {
    file: 'workflow-dag-retry-running-with-outputs.yaml',
    phase: 'Running',
    progress: { done: 3, total: 3 },
    steps: [
      ['success1', 'Succeeded'],
      ['fail', 'Failed'],
      ['success2', 'Skipped'],
    ],
    error: null,
  },
  {
    file: 'workflow-dag-running-with-failed-node.yaml',
    phase: 'Running',
    progress: { done: 3, total: 3 },
    steps: [
      ['A', 'Succeeded'],
      ['B', 'Succeeded'],
      ['C', 'Failed'],
    ],
    error: null,
  },
  {
    file: 'workflow-steps-running-retries-exhausted.yaml',
    phase: 'Running',
    progress: { done: 1, total: 2 },
    // Parallel steps started in the same second keep the template's order.
    steps: [
      ['fail', 'Failed'],
      ['delayed-fail', 'Running'],
    ],
    error: null,
  },
];

if (!hasShared) console.log('real Argo workflow fixtures skipped: ../shared not found');
(hasShared ? describe : describe.skip)('Task from the real Argo workflow fixtures', () => {
  it.each(cases)('maps $file', ({ file, phase, progress, steps, error }) => {
    const task = taskFromWorkflow(readFixture<Workflow>(`argo-workflows/${file}`), links);
    expect(task.phase).toBe(phase);
    expect(task.progress).toEqual(progress);
    expect(task.steps.map((s) => [s.name, s.phase])).toEqual(steps);
    expect(task.error).toEqual(error);
    expect(task.type).toBeNull();
    expect(task.result).toBeNull();
  });

  it('reports the last attempt message of a retried step', () => {
    const task = taskFromWorkflow(
      readFixture<Workflow>('argo-workflows/workflow-steps-running-retries-exhausted.yaml'),
      links,
    );
    expect(task.steps.find((s) => s.name === 'fail')?.message).toBe('failed with exit code 1');
  });
});
