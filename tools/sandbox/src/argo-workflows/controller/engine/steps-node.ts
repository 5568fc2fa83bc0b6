import type { NodePhase, NodeStatus, Template, TemplateCall } from '../../workflow-types';
import { isFailedOrError, isFulfilled } from '../../workflow-types';
import { addNodeScope, type ExecOptions, type Execution } from './execution';
import { outputsFromScope } from './outputs';
import { runCall } from './run-call';

const STEP_STRICT = ['inputs.', 'steps.', 'workflow.parameters.'];

/**
 * A steps template: a Steps node whose step groups (`<name>[i]`, StepGroup nodes) run one after
 * another, the steps of a group in parallel (`<name>[i].<step>`). A group fails with
 * "child '<id>' failed" and the Steps node takes that message, as Argo writes them.
 */
export function executeSteps(
  ex: Execution,
  nodeName: string,
  template: Template,
  scope: Map<string, string>,
  opts: ExecOptions,
): NodeStatus {
  const node =
    ex.book.byName(nodeName) ?? ex.book.init(nodeName, 'Steps', opts.boundaryId, template.name, 'Running');
  const stepsScope = new Map(scope);
  const groups = template.steps ?? [];
  let previous: NodeStatus | undefined;
  for (const [i, group] of groups.entries()) {
    const groupName = `${nodeName}[${i}]`;
    const groupNode =
      ex.book.byName(groupName) ?? ex.book.init(groupName, 'StepGroup', node.id, template.name, 'Running');
    link(ex, node, previous, groupNode);
    executeGroup(ex, groupNode, group, stepsScope, { ...opts, boundaryId: node.id });
    previous = groupNode;
    if (!isFulfilled(groupNode.phase)) return ex.book.mark(node, 'Running', '');
    if (isFailedOrError(groupNode.phase)) {
      node.outboundNodes = outboundOfGroup(ex, groupNode);
      return ex.book.mark(node, 'Failed', groupNode.message ?? '');
    }
    for (const step of group) {
      const child = ex.book.byName(`${groupName}.${step.name}`);
      if (child !== undefined) addNodeScope(stepsScope, `steps.${step.name}`, child);
    }
  }
  if (previous !== undefined) node.outboundNodes = outboundOfGroup(ex, previous);
  const outputs = outputsFromScope(template, stepsScope);
  if (outputs !== undefined) node.outputs = outputs;
  return ex.book.mark(node, 'Succeeded', '');
}

/** The first group hangs below the Steps node, each later one below the previous group's outbound nodes. */
function link(ex: Execution, steps: NodeStatus, previous: NodeStatus | undefined, group: NodeStatus): void {
  if (previous === undefined) {
    ex.book.addChild(steps, group.id);
    return;
  }
  const children = previous.children ?? [];
  if (children.length === 0) ex.book.addChild(previous, group.id);
  for (const childId of children) {
    for (const out of ex.book.outbound(childId)) {
      const outNode = ex.book.byId(out);
      if (outNode !== undefined) ex.book.addChild(outNode, group.id);
    }
  }
}

function outboundOfGroup(ex: Execution, group: NodeStatus): string[] {
  return (group.children ?? []).flatMap((id) => ex.book.outbound(id));
}

function executeGroup(
  ex: Execution,
  group: NodeStatus,
  steps: TemplateCall[],
  scope: Map<string, string>,
  opts: ExecOptions,
): void {
  for (const step of steps) {
    const childName = `${group.name}.${step.name}`;
    const child = runStep(ex, childName, step, scope, opts);
    ex.book.addChild(group, child.id);
  }
  const children = steps.map((s) => ex.book.byName(`${group.name}.${s.name}`));
  if (children.some((c) => c === undefined || !isFulfilled(c.phase))) {
    ex.book.mark(group, 'Running', '');
    return;
  }
  for (const [i, child] of children.entries()) {
    if (child !== undefined && isFailedOrError(child.phase) && !continuesOn(steps[i], child.phase)) {
      ex.book.mark(group, 'Failed', `child '${child.id}' failed`);
      return;
    }
  }
  ex.book.mark(group, 'Succeeded', '');
}

function runStep(
  ex: Execution,
  childName: string,
  step: TemplateCall,
  scope: Map<string, string>,
  opts: ExecOptions,
): NodeStatus {
  const existing = ex.book.byName(childName);
  if (
    existing !== undefined &&
    (existing.type === 'Skipped' || (existing.type === 'Pod' && isFulfilled(existing.phase)))
  ) {
    return existing;
  }
  return runCall(ex, childName, step, scope, STEP_STRICT, opts);
}

export function continuesOn(call: TemplateCall | undefined, phase: NodePhase): boolean {
  if (call?.continueOn === undefined) return false;
  return (
    (phase === 'Failed' && call.continueOn.failed === true) ||
    (phase === 'Error' && call.continueOn.error === true)
  );
}
