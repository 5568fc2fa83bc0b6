import type { NodeStatus, TemplateCall } from '../../workflow-types';
import { unsupportedCall, type ExecOptions, type Execution } from './execution';
import { evaluateWhen, substitute, substituteDeep } from './variables';

/**
 * Runs one step or DAG task: refuses what the sandbox does not expand (loops), resolves its
 * arguments, skips it when its `when` is false, then executes its template. A call whose
 * arguments cannot be resolved ends as an Error node with the reason. `strict` lists the variable
 * prefixes that must resolve (steps see `steps.`, DAG tasks `tasks.`).
 */
export function runCall(
  ex: Execution,
  childName: string,
  call: TemplateCall,
  scope: Map<string, string>,
  strict: readonly string[],
  opts: ExecOptions,
): NodeStatus {
  const existing = ex.book.byName(childName);
  const templateName = call.template ?? call.templateRef?.template;
  const unsupported = unsupportedCall(call);
  if (unsupported !== undefined) {
    return (
      existing ?? ex.book.init(childName, 'Skipped', opts.boundaryId, templateName, 'Error', unsupported)
    );
  }
  let args;
  try {
    args = substituteDeep(call.arguments, scope, strict);
    if (existing === undefined && call.when !== undefined && call.when !== '') {
      const when = substitute(String(call.when), scope, strict);
      if (!evaluateWhen(when)) {
        return ex.book.init(
          childName,
          'Skipped',
          opts.boundaryId,
          templateName,
          'Skipped',
          `when '${when}' evaluated false`,
        );
      }
    }
  } catch (error) {
    return (
      existing ??
      ex.book.init(childName, 'Skipped', opts.boundaryId, templateName, 'Error', (error as Error).message)
    );
  }
  return ex.execute(childName, call, args, opts);
}
