import type { Arguments, NodeStatus, TemplateCall } from '../../workflow-types';
import { isFulfilled } from '../../workflow-types';
import { executeDag } from './dag-node';
import type { ExecOptions, Execution } from './execution';
import { prepareTemplate } from './inputs';
import { executePod } from './pod-node';
import { executeRetry } from './retry-node';
import { findTemplate } from './spec';
import { executeSteps } from './steps-node';
import { executeSuspend, suspendProblem } from './suspend-node';

/**
 * Runs (or advances) the template a call names as node `nodeName`, Argo's executeTemplate:
 * resolve the template, bind its inputs, then dispatch on its kind. Leaf nodes that finished
 * are final; Steps, DAG and Retry nodes are re-evaluated from their children on every pass,
 * which is what lets a workflow reset by a retry continue where it failed.
 */
export function executeTemplate(
  ex: Execution,
  nodeName: string,
  call: Pick<TemplateCall, 'template' | 'templateRef'>,
  args: Arguments | undefined,
  opts: ExecOptions,
): NodeStatus {
  const existing = ex.book.byName(nodeName);
  if (
    existing !== undefined &&
    isFulfilled(existing.phase) &&
    (existing.type === 'Pod' || existing.type === 'Skipped')
  ) {
    return existing;
  }
  const templateName = call.template ?? call.templateRef?.template;
  let prepared;
  try {
    const found = findTemplate(ex.store, ex.namespace, ex.spec, call);
    prepared = prepareTemplate(found, args, ex.globals, ex.workflowName, nodeName);
  } catch (error) {
    return (
      existing ??
      ex.book.init(nodeName, 'Skipped', opts.boundaryId, templateName, 'Error', (error as Error).message)
    );
  }
  const { template, scope } = prepared;
  let node: NodeStatus;
  if (template.retryStrategy !== undefined && opts.retryAttempt !== true) {
    node = executeRetry(ex, nodeName, call, args, template.retryStrategy, template.name, opts);
  } else if (template.container !== undefined || template.script !== undefined) {
    node = executePod(ex, nodeName, template, opts);
  } else if (template.steps !== undefined) {
    node = executeSteps(ex, nodeName, template, scope, opts);
  } else if (template.dag !== undefined) {
    node = executeDag(ex, nodeName, template, scope, opts);
  } else if (template.suspend !== undefined) {
    const unsupported = suspendProblem(template.suspend);
    if (unsupported !== undefined)
      return (
        existing ?? ex.book.init(nodeName, 'Skipped', opts.boundaryId, template.name, 'Error', unsupported)
      );
    node = executeSuspend(ex, nodeName, template.name, opts);
  } else {
    return (
      existing ??
      ex.book.init(
        nodeName,
        'Skipped',
        opts.boundaryId,
        template.name,
        'Error',
        `sandbox cannot run template "${template.name}": only container, script, steps, dag and suspend templates are supported`,
      )
    );
  }
  if (node.inputs === undefined && (template.inputs?.parameters ?? []).length > 0) {
    node.inputs = {
      parameters: (template.inputs?.parameters ?? []).map((p) => ({ name: p.name, value: p.value })),
    };
  }
  return node;
}
