import type { Parameter, Workflow } from '@platform/upstream-types';
import { Annotations, Labels } from './labels';
import { TASK_TYPES, type Task, type TaskPhase, type TaskResult, type TaskType } from './task';
import { workflowSteps } from './workflow-steps';

export interface TaskLinks {
  /** e.g. (id) => `/task/v1/tasks/${id}` */
  self(id: string): string;
  stream(id: string): string;
}

/**
 * The Task a workflow is. Used by all three services, so a task looks the same in the task API,
 * the monitoring stream and the summary.
 */
export function taskFromWorkflow(workflow: Workflow, links: TaskLinks): Task {
  const id = workflow.metadata.name ?? '';
  const labels = workflow.metadata.labels ?? {};
  const type = taskType(labels[Labels.taskType]);
  const phase = taskPhase(workflow);
  const steps = workflowSteps(workflow);
  return {
    id,
    type,
    app: labels[Labels.app] ?? null,
    team: labels[Labels.team] ?? null,
    phase,
    progress: progress(
      workflow,
      steps.length,
      steps.filter((s) => s.phase !== 'Pending' && s.phase !== 'Running').length,
    ),
    steps,
    parameters: Object.fromEntries(
      (workflow.spec.arguments?.parameters ?? []).map((p) => [p.name, p.value ?? p.default ?? '']),
    ),
    result: phase === 'Succeeded' && type !== null ? taskResult(type, outputs(workflow), workflow) : null,
    error: phase === 'Failed' || phase === 'Cancelled' ? taskError(workflow, steps) : null,
    approval: taskApproval(workflow),
    requestedBy:
      workflow.metadata.annotations?.[Annotations.requestedBy] ?? labels[Labels.requestedBy] ?? null,
    createdAt: workflow.metadata.creationTimestamp ?? null,
    startedAt: workflow.status?.startedAt ?? null,
    finishedAt: workflow.status?.finishedAt ?? null,
    links: { self: links.self(id), stream: links.stream(id) },
  };
}

/** Terminated or stopped workflows end Failed in Argo; to the user that is a cancel. */
export function taskPhase(workflow: Workflow): TaskPhase {
  const phase = workflow.status?.phase;
  if (phase === 'Running' && approvalNode(workflow)?.phase === 'Running') return 'Pending approval';
  const cancelled =
    workflow.spec.shutdown !== undefined ||
    /^Stopped with strategy '(Terminate|Stop)'/.test(workflow.status?.message ?? '');
  switch (phase) {
    case 'Running':
      return 'Running';
    case 'Succeeded':
      return 'Succeeded';
    case 'Failed':
    case 'Error':
      return cancelled ? 'Cancelled' : 'Failed';
    default:
      return 'Pending';
  }
}

function taskType(value: string | undefined): TaskType | null {
  return TASK_TYPES.find((t) => t === value) ?? null;
}

/** Argo's own "N/M" when it wrote one; otherwise finished steps over all steps. */
function progress(workflow: Workflow, total: number, done: number): { done: number; total: number } {
  const m = /^(\d+)\/(\d+)$/.exec(workflow.status?.progress ?? '');
  return m ? { done: Number(m[1]), total: Number(m[2]) } : { done, total };
}

/** Global outputs of the workflow, falling back to any node's output of the same name. */
function outputs(workflow: Workflow): Map<string, string> {
  const values = new Map<string, string>();
  const add = (params: Parameter[] | undefined): void => {
    for (const p of params ?? [])
      if (p.value !== undefined && !values.has(p.name)) values.set(p.name, p.value);
  };
  add(workflow.status?.outputs?.parameters);
  for (const node of Object.values(workflow.status?.nodes ?? {})) add(node.outputs?.parameters);
  return values;
}

function taskResult(type: TaskType, values: Map<string, string>, workflow: Workflow): TaskResult {
  const get = (name: string): string | null => values.get(name) ?? null;
  switch (type) {
    case 'create':
      return {
        sourceRepoUrl: get('source-repo-url'),
        sourceCommit: get('source-commit'),
        manifestsRepoUrl: get('manifests-repo-url'),
        manifestsCommit: get('manifests-commit'),
        argocdApp: get('argocd-app'),
      };
    case 'ci':
      return { image: get('image'), digest: get('digest'), commit: get('commit') };
    case 'cd':
      return {
        environment: get('environment'),
        image: get('image'),
        digest: workflow.metadata.annotations?.[Annotations.imageDigest] ?? null,
        manifestsCommit: get('manifests-commit'),
        syncedRevision: get('synced-revision'),
        health: get('health'),
      };
    case 'delete':
      return {
        deletedApplications: lines(get('deleted-applications')),
        archivedRepositories: lines(get('archived-repositories')),
      };
  }
}

/** The non-empty lines of an output written one item per line. */
function lines(value: string | null): string[] {
  return (value ?? '').split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

/** The cd workflow's approval step (deploy/argo/cd.yaml), once the workflow reached it. */
function approvalNode(workflow: Workflow): { phase?: string; message?: string } | undefined {
  return Object.values(workflow.status?.nodes ?? {}).find(
    (n) => n.type === 'Suspend' && n.displayName === APPROVAL_STEP,
  );
}

/** The approval a workflow asks for (its `approval` parameter is `required`), and where it stands. */
function taskApproval(workflow: Workflow): Task['approval'] {
  const parameter = (name: string): string | undefined =>
    workflow.spec.arguments?.parameters?.find((p) => p.name === name)?.value;
  if (parameter('approval') !== 'required') return null;
  const node = approvalNode(workflow);
  return {
    state: node?.phase === 'Succeeded' ? 'approved' : node?.phase === 'Failed' ? 'rejected' : 'pending',
    approvers: parameter('approvers') ?? '',
    message: node?.message ?? null,
  };
}

/** The display name of the cd workflow's suspend step that waits for an approver. */
export const APPROVAL_STEP = 'approval';

function taskError(workflow: Workflow, steps: Task['steps']): Task['error'] {
  const failed = steps
    .filter((s) => s.phase === 'Failed')
    .sort((a, b) => (a.finishedAt ?? '~').localeCompare(b.finishedAt ?? '~'))[0];
  const message = failed?.message ?? workflow.status?.message ?? 'the workflow failed';
  return { step: failed?.name ?? null, message };
}
