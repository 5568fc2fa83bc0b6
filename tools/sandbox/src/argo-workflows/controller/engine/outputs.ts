import type { NodeOutputs, Parameter, Template } from '../../workflow-types';
import type { Scope } from './variables';
import { substitute } from './variables';

/**
 * Outputs of a Steps or DAG template: each output parameter's `valueFrom.parameter` resolved
 * against the finished children (`{{steps.x.outputs.parameters.y}}`), or its default.
 */
export function outputsFromScope(template: Template, scope: Scope): NodeOutputs | undefined {
  const specs = template.outputs?.parameters ?? [];
  if (specs.length === 0) return undefined;
  const parameters: Parameter[] = specs.map((spec) => {
    const from = spec.valueFrom;
    let value = spec.value;
    if (from?.parameter !== undefined) {
      const resolved = substitute(from.parameter, scope);
      value = resolved.includes('{{') ? from.default : resolved;
    }
    return { ...spec, ...(value !== undefined ? { value } : {}) };
  });
  return { parameters };
}
