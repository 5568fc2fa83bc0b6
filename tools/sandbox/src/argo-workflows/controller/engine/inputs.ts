import { podName } from '../naming';
import type { Arguments, Parameter, Template } from '../../workflow-types';
import { SpecError } from './spec';
import { substituteDeep } from './variables';

/**
 * Binds a template's input parameters (argument value, else the input's value or default) and
 * substitutes `{{inputs.*}}`, the workflow globals and `{{pod.name}}` through the whole template,
 * as Argo does before running it. Throws SpecError for a missing input or unresolved input variable.
 */
export function prepareTemplate(
  template: Template,
  args: Arguments | undefined,
  globals: ReadonlyMap<string, string>,
  workflowName: string,
  nodeName: string,
): { template: Template; scope: Map<string, string> } {
  const inputs: Parameter[] = (template.inputs?.parameters ?? []).map((input) => {
    const arg = (args?.parameters ?? []).find((a) => a.name === input.name);
    const raw = arg?.value ?? input.value ?? input.default;
    if (raw === undefined || raw === null)
      throw new SpecError(`inputs.parameters.${input.name} was not supplied`);
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (input.enum !== undefined && input.enum.length > 0 && !input.enum.map(String).includes(value)) {
      throw new SpecError(`value '${value}' of inputs.parameters.${input.name} is not in its enum`);
    }
    return { ...input, value };
  });
  const scope = new Map(globals);
  for (const p of inputs) scope.set(`inputs.parameters.${p.name}`, p.value ?? '');
  scope.set('inputs.parameters', JSON.stringify(inputs.map((p) => ({ name: p.name, value: p.value }))));
  scope.set('node.name', nodeName);
  const attempt = /\((\d+)\)$/.exec(nodeName);
  scope.set('retries', attempt?.[1] ?? '0');
  if (template.container !== undefined || template.script !== undefined) {
    scope.set('pod.name', podName(workflowName, nodeName, template.name));
  }
  const { inputs: _inputs, ...rest } = template;
  let body: Omit<Template, 'inputs'>;
  try {
    body = substituteDeep(rest, scope, ['inputs.']);
  } catch (error) {
    throw new SpecError((error as Error).message);
  }
  const prepared: Template = { ...body, name: template.name };
  if (template.inputs !== undefined) {
    // Artifacts (a git repo URL, a path) may use the inputs and globals too.
    const { parameters: _parameters, ...others } = template.inputs;
    prepared.inputs = { ...substituteDeep(others, scope), parameters: inputs };
  }
  return { template: prepared, scope };
}
