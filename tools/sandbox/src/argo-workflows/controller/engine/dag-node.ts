import type { DagTask, NodePhase, NodeStatus, Template } from '../../workflow-types';
import { isFailedOrError, isFulfilled } from '../../workflow-types';
import { DependsExpression } from './depends';
import { addNodeScope, type ExecOptions, type Execution } from './execution';
import { outputsFromScope } from './outputs';
import { continuesOn } from './steps-node';
import { runCall } from './run-call';

const TASK_STRICT = ['inputs.', 'tasks.', 'workflow.parameters.'];

/**
 * A dag template: a DAG node whose tasks (`<name>.<task>`) start once their `depends` /
 * `dependencies` are fulfilled. A task whose condition is not met is Omitted ("omitted: depends
 * condition not met"); with failFast (the default) no new task starts after a failure. Tasks
 * without dependencies hang below the DAG node, the others below their dependencies' outbound
 * nodes, as in Argo's graph.
 */
export function executeDag(
  ex: Execution,
  nodeName: string,
  template: Template,
  scope: Map<string, string>,
  opts: ExecOptions,
): NodeStatus {
  const node =
    ex.book.byName(nodeName) ?? ex.book.init(nodeName, 'DAG', opts.boundaryId, template.name, 'Running');
  const tasks = template.dag?.tasks ?? [];
  const taskOpts: ExecOptions = { ...opts, boundaryId: node.id };
  const nodeOf = (task: string): NodeStatus | undefined => ex.book.byName(`${nodeName}.${task}`);
  let depends: Map<string, DependsExpression | undefined>;
  try {
    depends = parseDepends(tasks);
  } catch (error) {
    return ex.book.mark(node, 'Error', (error as Error).message);
  }
  const byName = new Map(tasks.map((t) => [t.name, t]));
  const continues = (task: string): NodePhase[] => {
    const call = byName.get(task);
    return (['Failed', 'Error'] as const).filter((phase) => continuesOn(call, phase));
  };
  const failFast = template.dag?.failFast !== false;
  const hasFailure = (): boolean =>
    tasks.some((t) => {
      const n = nodeOf(t.name);
      return n !== undefined && isFailedOrError(n.phase) && !continuesOn(t, n.phase);
    });

  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const task of tasks) {
      // Tasks finished earlier in this very pass must be visible to their dependents.
      const taskScope = new Map(scope);
      for (const t of tasks) {
        const n = nodeOf(t.name);
        if (n !== undefined && isFulfilled(n.phase)) addNodeScope(taskScope, `tasks.${t.name}`, n);
      }
      const existing = nodeOf(task.name);
      if (existing !== undefined) {
        if (isFulfilled(existing.phase)) continue;
        const after = runTask(ex, `${nodeName}.${task.name}`, task, taskScope, taskOpts);
        if (isFulfilled(after.phase)) progressed = true;
        continue;
      }
      const expression = depends.get(task.name);
      const deps = expression?.tasks() ?? [];
      if (deps.some((d) => !isFulfilled(nodeOf(d)?.phase))) continue;
      if (failFast && hasFailure()) continue;
      let child: NodeStatus;
      const phaseOf = (d: string): NodePhase | undefined => nodeOf(d)?.phase;
      if (expression !== undefined && !expression.evaluate(phaseOf, continues)) {
        const templateName = task.template ?? task.templateRef?.template;
        child = ex.book.init(
          `${nodeName}.${task.name}`,
          'Skipped',
          node.id,
          templateName,
          'Omitted',
          'omitted: depends condition not met',
        );
      } else {
        child = runTask(ex, `${nodeName}.${task.name}`, task, taskScope, taskOpts);
      }
      connect(ex, node, child, deps.map(nodeOf));
      progressed = true;
    }
  }
  return assess(ex, node, template, tasks, nodeOf, scope);
}

function parseDepends(tasks: DagTask[]): Map<string, DependsExpression | undefined> {
  const names = new Set(tasks.map((t) => t.name));
  const out = new Map<string, DependsExpression | undefined>();
  for (const task of tasks) {
    const expression = DependsExpression.fromTask(task);
    for (const dep of expression?.tasks() ?? []) {
      if (!names.has(dep))
        throw new Error(`templates.dag.tasks.${task.name} dependency '${dep}' not defined`);
    }
    out.set(task.name, expression);
  }
  return out;
}

function runTask(
  ex: Execution,
  childName: string,
  task: DagTask,
  scope: Map<string, string>,
  opts: ExecOptions,
): NodeStatus {
  return runCall(ex, childName, task, scope, TASK_STRICT, opts);
}

function connect(
  ex: Execution,
  dag: NodeStatus,
  child: NodeStatus,
  deps: Array<NodeStatus | undefined>,
): void {
  if (deps.length === 0) {
    ex.book.addChild(dag, child.id);
    return;
  }
  for (const dep of deps) {
    if (dep === undefined) continue;
    for (const out of ex.book.outbound(dep.id)) {
      const outNode = ex.book.byId(out);
      if (outNode !== undefined) ex.book.addChild(outNode, child.id);
    }
  }
}

function assess(
  ex: Execution,
  node: NodeStatus,
  template: Template,
  tasks: DagTask[],
  nodeOf: (task: string) => NodeStatus | undefined,
  scope: Map<string, string>,
): NodeStatus {
  const children = tasks.map((t) => nodeOf(t.name));
  if (children.some((c) => c !== undefined && !isFulfilled(c.phase)))
    return ex.book.mark(node, 'Running', '');
  const dependedOn = new Set(tasks.flatMap((t) => DependsExpression.fromTask(t)?.tasks() ?? []));
  const targets =
    template.dag?.target?.split(/\s+/).filter(Boolean) ??
    tasks.map((t) => t.name).filter((n) => !dependedOn.has(n));
  node.outboundNodes = targets.flatMap((t) => {
    const n = nodeOf(t);
    return n === undefined ? [] : ex.book.outbound(n.id);
  });
  const failed = tasks.find((t, i) => {
    const c = children[i];
    return c !== undefined && isFailedOrError(c.phase) && !continuesOn(t, c.phase);
  });
  if (failed !== undefined)
    return ex.book.mark(node, nodeOf(failed.name)?.phase === 'Error' ? 'Error' : 'Failed', '');
  const unscheduled = tasks.filter((_, i) => children[i] === undefined).map((t) => t.name);
  if (unscheduled.length > 0) {
    return ex.book.mark(
      node,
      'Error',
      `tasks ${unscheduled.join(', ')} can never run: their dependencies form a cycle`,
    );
  }
  const taskScope = new Map(scope);
  for (const [i, t] of tasks.entries()) {
    const c = children[i];
    if (c !== undefined) addNodeScope(taskScope, `tasks.${t.name}`, c);
  }
  const outputs = outputsFromScope(template, taskScope);
  if (outputs !== undefined) node.outputs = outputs;
  return ex.book.mark(node, 'Succeeded', '');
}
