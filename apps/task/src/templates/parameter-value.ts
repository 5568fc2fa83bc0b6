import type { TemplateParameter } from '@platform/domain';

// Whatever the catalog's pattern, a value never carries a line break or control character: values
// travel as KEY=value lines and are substituted into files.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * What is wrong with `text` as the value of `parameter`, or undefined. The pattern must match the
 * whole value (it is anchored here whether or not the catalog anchors it).
 */
export function parameterValueProblem(parameter: TemplateParameter, text: string): string | undefined {
  if (CONTROL.test(text)) return 'must not contain line breaks or control characters';
  if (parameter.maxLength !== undefined && text.length > parameter.maxLength) {
    return `must be at most ${parameter.maxLength} characters, got ${text.length}`;
  }
  switch (parameter.type) {
    case 'integer':
      if (!/^-?[0-9]+$/.test(text)) return `must be an integer, got "${text}"`;
      break;
    case 'boolean':
      if (text !== 'true' && text !== 'false') return `must be true or false, got "${text}"`;
      break;
    case 'string':
      break;
  }
  if (parameter.pattern !== undefined && !new RegExp(`^(?:${parameter.pattern})$`).test(text)) {
    return `must match ${parameter.pattern}, got "${text}"`;
  }
  return undefined;
}
