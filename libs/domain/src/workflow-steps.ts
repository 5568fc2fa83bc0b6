import type { NodeStatus, Workflow } from '@platform/upstream-types';
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
  const rank = graphOrder(nodes);
  const position = (node: NodeStatus): number => rank.get(node.id) ?? Number.MAX_SAFE_INTEGER;
  return [...steps.values()]
    .sort((a, b) => order(a) - order(b) || position(a) - position(b))
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

/**
 * Each node's position in a breadth-first walk of the node graph from its roots. Start times have
 * one-second resolution, so steps started within the same second are ordered by where they sit
 * in the graph: a later step of a steps template or DAG is further from the root.
 */
function graphOrder(nodes: Record<string, NodeStatus>): Map<string, number> {
  const children = new Set(Object.values(nodes).flatMap((n) => n.children ?? []));
  const queue = Object.values(nodes)
    .filter((n) => !children.has(n.id))
    .map((n) => n.id);
  const rank = new Map<string, number>();
  for (let i = 0; i < queue.length; i += 1) {
    const id = queue[i] ?? '';
    if (rank.has(id)) continue;
    rank.set(id, rank.size);
    queue.push(...(nodes[id]?.children ?? []));
  }
  return rank;
}

function order(node: NodeStatus): number {
  // Steps that have not started go last, in a stable order.
  return node.startedAt ? time(node.startedAt) : Number.MAX_SAFE_INTEGER;
}

function time(value: string | null | undefined): number {
  return value ? new Date(value).getTime() : 0;
}
