import { displayName, nodeId } from '../naming';
import { isFulfilled, type NodePhase, type NodeStatus, type NodeType } from '../../workflow-types';

/** A node phase change, recorded as a `WorkflowNode<Phase>` event once the status is saved. */
export interface NodePhaseChange {
  node: NodeStatus;
}

/**
 * The workflow's `status.nodes` while one operation runs: creates nodes with Argo's ids and
 * display names, changes phases (stamping finishedAt and queueing node events), and links
 * children the way the UI draws the graph.
 */
export class NodeBook {
  readonly changes: NodePhaseChange[] = [];

  constructor(
    readonly workflowName: string,
    readonly nodes: Record<string, NodeStatus>,
    private readonly now: string,
  ) {
    // A retry on the server removes nodes; links to them must go too.
    for (const node of Object.values(nodes)) {
      if (node.children !== undefined) {
        node.children = node.children.filter((id) => nodes[id] !== undefined);
        if (node.children.length === 0) delete node.children;
      }
    }
  }

  idOf(name: string): string {
    return nodeId(this.workflowName, name);
  }

  byName(name: string): NodeStatus | undefined {
    return this.nodes[this.idOf(name)];
  }

  byId(id: string): NodeStatus | undefined {
    return this.nodes[id];
  }

  init(
    name: string,
    type: NodeType,
    boundaryId: string,
    templateName: string | undefined,
    phase: NodePhase,
    message?: string,
  ): NodeStatus {
    const boundary = boundaryId === '' ? undefined : this.nodes[boundaryId];
    const node: NodeStatus = {
      id: this.idOf(name),
      name,
      displayName: displayName(name, boundary?.name),
      type,
      ...(templateName !== undefined && templateName !== '' ? { templateName } : {}),
      templateScope: `local/${this.workflowName}`,
      phase,
      ...(boundaryId !== '' ? { boundaryID: boundaryId } : {}),
      ...(message !== undefined && message !== '' ? { message } : {}),
      startedAt: this.now,
      finishedAt: isFulfilled(phase) ? this.now : null,
      ...(type === 'Pod' ? { progress: isFulfilled(phase) ? '1/1' : '0/1' } : {}),
    };
    this.nodes[node.id] = node;
    this.changes.push({ node });
    return node;
  }

  /** Sets a phase (and message); a node that finishes gets finishedAt, one that resumes loses it. */
  mark(node: NodeStatus, phase: NodePhase, message?: string): NodeStatus {
    const changed = node.phase !== phase;
    if (changed) {
      if (isFulfilled(node.phase) && !isFulfilled(phase)) delete node.message;
      node.phase = phase;
    }
    if (message !== undefined) {
      if (message === '') delete node.message;
      else node.message = message;
    }
    if (isFulfilled(phase)) node.finishedAt ??= this.now;
    else node.finishedAt = null;
    if (changed) this.changes.push({ node });
    return node;
  }

  addChild(parent: NodeStatus, childId: string): void {
    const children = parent.children ?? (parent.children = []);
    if (!children.includes(childId)) children.push(childId);
  }

  /**
   * The nodes a follower attaches to: a leaf is its own outbound node, a Retry node's is its
   * last attempt, a Steps or DAG node's are the outbound nodes it recorded when it finished.
   */
  outbound(id: string): string[] {
    const node = this.nodes[id];
    if (node === undefined) return [];
    switch (node.type) {
      case 'Pod':
      case 'Skipped':
      case 'Suspend':
        return [id];
      case 'Retry': {
        const last = node.children?.[node.children.length - 1];
        return last === undefined ? [id] : [last];
      }
      case 'TaskGroup':
      case 'Steps':
      case 'StepGroup':
      case 'DAG': {
        const out = (node.outboundNodes ?? []).flatMap((o) => this.outbound(o));
        return out.length > 0 ? out : [id];
      }
    }
  }
}
