import type { Workflow } from '@platform/argo-client';
import {
  taskFromWorkflow,
  type CdResult,
  type CiResult,
  type CreateResult,
  type Task,
} from '@platform/domain';

const LINKS = {
  self: (id: string) => `/task/v1/tasks/${id}`,
  stream: (id: string) => `/monitoring/v1/tasks/${id}/stream`,
};

/**
 * The paths of a Workflow that {@link taskFacts} reads through taskFromWorkflow (plus the version
 * the watch resumes from), so that the collector asks Argo Workflows for nothing else. A path
 * read but missing here silently reads as absent: keep the two in step (test/fold/field-lists.spec.ts
 * checks them).
 *
 * `status.nodes`, most of a workflow's size, is left out on purpose. taskFromWorkflow reads it for
 * the steps, the progress when Argo wrote none and the failed step's message, none of which
 * TaskFacts keep, and as a fallback for outputs: but the platform's WorkflowTemplates (deploy/argo)
 * export every output the Task reads with a `globalName`, so `status.outputs` holds them all
 * (tests/argo check those outputs after real runs).
 */
export const WORKFLOW_FIELDS: readonly string[] = [
  'metadata.name',
  'metadata.labels',
  'metadata.annotations',
  'metadata.creationTimestamp',
  'metadata.resourceVersion',
  'spec.arguments',
  'spec.shutdown',
  'status.phase',
  'status.message',
  'status.progress',
  'status.startedAt',
  'status.finishedAt',
  'status.outputs',
];

/** The few fields of a platform task the summary keeps (a Task without its steps). */
export interface TaskFacts {
  id: string;
  type: 'create' | 'ci' | 'cd' | 'delete';
  app: string;
  phase: Task['phase'];
  image: string | null;
  revision: string | null;
  sourceRepo: string | null;
  template: string | null;
  /** A cd task's `environment` parameter (null for other tasks, and cd tasks that had none). */
  environment: string | null;
  createdAt: string | null;
  finishedAt: string | null;
  /** The workflows snapshot that last mentioned the workflow. */
  mark: number;
}

/** The task a platform workflow is (through the one Task mapping all services share), trimmed. */
export function taskFacts(workflow: Workflow, mark = 0): TaskFacts | undefined {
  const task = taskFromWorkflow(workflow, LINKS);
  if (task.type === null || task.app === null) return undefined;
  const result = task.result;
  const ci = task.type === 'ci' ? (result as CiResult | null) : null;
  const cd = task.type === 'cd' ? (result as CdResult | null) : null;
  const create = task.type === 'create' ? (result as CreateResult | null) : null;
  return {
    id: task.id,
    type: task.type,
    app: task.app,
    phase: task.phase,
    image: ci?.image ?? cd?.image ?? task.parameters.image ?? null,
    revision: cd?.syncedRevision ?? cd?.manifestsCommit ?? null,
    sourceRepo: create?.sourceRepoUrl ?? null,
    template: task.type === 'create' ? (task.parameters.template ?? null) : null,
    environment: task.type === 'cd' ? (task.parameters.environment ?? null) : null,
    createdAt: task.createdAt ?? task.startedAt,
    finishedAt: task.finishedAt,
    mark,
  };
}

/** Newest first: by creation time, then by name (generated names of one second sort by suffix). */
export function newer(a: TaskFacts, b: TaskFacts): boolean {
  const at = a.createdAt ?? '';
  const bt = b.createdAt ?? '';
  return at !== bt ? at > bt : a.id > b.id;
}
