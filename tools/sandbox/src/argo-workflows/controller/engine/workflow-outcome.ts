import { isFailedOrError, isFulfilled, type NodeStatus } from '../../workflow-types';

/**
 * The final phase and message. Deliberate choice: a failed workflow's message is the message of
 * the step that failed first (a pod's "Error (exit code 128): fatal: repository ... not found"),
 * where Argo writes the entry node's ("child '<id>' failed") and leaves the detail on the node.
 * A shut-down workflow says "Stopped with strategy '<Terminate|Stop>'", as Argo does.
 */
export function outcome(
  entry: NodeStatus,
  exitNode: NodeStatus | undefined,
  shutdown: string,
  nodes: Record<string, NodeStatus>,
): { phase: 'Succeeded' | 'Failed' | 'Error'; message: string } {
  const stopped = `Stopped with strategy '${shutdown}'`;
  if (isFailedOrError(entry.phase)) {
    const phase = entry.phase === 'Error' ? 'Error' : 'Failed';
    return { phase, message: shutdown !== '' ? stopped : firstFailure(nodes, entry) };
  }
  if (exitNode !== undefined && isFailedOrError(exitNode.phase)) {
    const phase = exitNode.phase === 'Error' ? 'Error' : 'Failed';
    return { phase, message: shutdown !== '' ? stopped : firstFailure(nodes, exitNode) };
  }
  return { phase: 'Succeeded', message: '' };
}

const CONTROL_NODES = new Set(['Steps', 'StepGroup', 'DAG', 'Retry', 'TaskGroup']);

function firstFailure(nodes: Record<string, NodeStatus>, root: NodeStatus): string {
  const onExit = root.name.endsWith('.onExit');
  // An attempt that a later attempt replaced did not fail the workflow.
  const superseded = new Set(
    Object.values(nodes)
      .filter((n) => n.type === 'Retry')
      .flatMap((n) => (n.children ?? []).slice(0, -1)),
  );
  const leaves = Object.values(nodes)
    .filter((n) => isFailedOrError(n.phase) && !CONTROL_NODES.has(n.type) && (n.message ?? '') !== '')
    .filter((n) => !superseded.has(n.id) && n.name.includes('.onExit') === onExit)
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  return leaves[0]?.message ?? root.message ?? '';
}

/**
 * An exit handler runs after the entrypoint finished; if the entrypoint runs again (the server
 * reset the workflow for a retry) the old exit handler nodes are dropped so it runs again, as
 * Argo's retry does.
 */
export function forgetStaleExitHandler(nodes: Record<string, NodeStatus>, workflowName: string): void {
  const entry = nodes[workflowName];
  const exitName = `${workflowName}.onExit`;
  if (entry === undefined || isFulfilled(entry.phase)) return;
  for (const [id, node] of Object.entries(nodes)) {
    const rest = node.name.startsWith(exitName) ? node.name.slice(exitName.length) : undefined;
    if (rest !== undefined && (rest === '' || /^[.[(]/.test(rest))) delete nodes[id];
  }
}
