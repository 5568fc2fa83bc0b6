import type { NodeStatus, Workflow } from '@platform/argo-client';
import type { StepPhase, TaskStep } from './task';

/** Node types that do (or skip) work: these are the steps a user sees. */
const WORK_NODE_TYPES = new Set(['Pod', 'Container', 'HTTP', 'Plugin', 'Suspend', 'Skipped']);

/**
 * The steps of a workflow in execution order. A step with retries shows once, as its Retry node,
 * with the message of its last attempt (the actual error rather than "No more retries left").
 */
export function workflowSteps(workflow: Workflow): TaskStep[] {
  const nodes = workflow.status?.nodes ?? {};
  const retryOf = new Map<string, NodeStatus>();
  for (const node of Object.values(nodes)) {
    if (node.type === 'Retry') for (const child of node.children ?? []) retryOf.set(child, node);
  }
  const steps = new Map<string, NodeStatus>();
  for (const node of Object.values(nodes)) {
    if (!WORK_NODE_TYPES.has(node.type)) continue;
    const step = retryOf.get(node.id) ?? node;
    steps.set(step.id, step);
  }
  return [...steps.values()]
    .sort((a, b) => order(a) - order(b) || (a.displayName ?? a.name).localeCompare(b.displayName ?? b.name))
    .map((node) => ({
      name: (node.displayName ?? node.name).replace(/\(\d+\)$/, ''),
      phase: stepPhase(node.phase),
      startedAt: node.startedAt ?? null,
      finishedAt: node.finishedAt ?? null,
      message: node.type === 'Retry' ? lastAttemptMessage(node, nodes) : (node.message ?? null),
    }));
}

function lastAttemptMessage(retry: NodeStatus, nodes: Record<string, NodeStatus>): string | null {
  const attempts = (retry.children ?? [])
    .map((id) => nodes[id])
    .filter((n): n is NodeStatus => n !== undefined);
  const last = attempts.sort((a, b) => time(b.startedAt) - time(a.startedAt))[0];
  return last?.message ?? retry.message ?? null;
}

export function stepPhase(phase: string | undefined): StepPhase {
  switch (phase) {
    case 'Running':
      return 'Running';
    case 'Succeeded':
      return 'Succeeded';
    case 'Failed':
    case 'Error':
      return 'Failed';
    case 'Skipped':
    case 'Omitted':
      return 'Skipped';
    default:
      return 'Pending';
  }
}

function order(node: NodeStatus): number {
  // Steps that have not started go last, in a stable order.
  return node.startedAt ? time(node.startedAt) : Number.MAX_SAFE_INTEGER;
}

function time(value: string | null | undefined): number {
  return value ? new Date(value).getTime() : 0;
}
