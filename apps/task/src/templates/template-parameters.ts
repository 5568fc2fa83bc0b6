import type { FieldProblem } from '@platform/service-runtime';
import type { AppTemplate, TemplateParameter } from '@platform/domain';
import { parameterValueProblem } from './parameter-value';

export type ParameterInput = Record<string, unknown>;

export type ResolvedParameters =
  { ok: true; values: Record<string, string> } | { ok: false; problems: FieldProblem[] };

/**
 * The template's parameter values for a request: given values checked against the catalog (type,
 * pattern), defaults filled in, unknown and missing ones reported — every problem at once.
 */
export function resolveParameters(template: AppTemplate, given: ParameterInput): ResolvedParameters {
  const problems: FieldProblem[] = [];
  const known = new Set(template.parameters.map((p) => p.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      const accepted = template.parameters.map((p) => p.name).join(', ') || 'none';
      problems.push(field(name, `is not a parameter of template "${template.name}" (it takes: ${accepted})`));
    }
  }
  const values: Record<string, string> = {};
  for (const parameter of template.parameters) {
    const value = given[parameter.name];
    const text = value === undefined || value === null ? parameter.default : asText(value);
    if (text === undefined) {
      problems.push(field(parameter.name, describeMissing(parameter, value)));
      continue;
    }
    const problem = parameterValueProblem(parameter, text);
    if (problem === undefined) values[parameter.name] = text;
    else problems.push(field(parameter.name, problem));
  }
  return problems.length === 0 ? { ok: true, values } : { ok: false, problems };
}

/** `KEY=value` lines for create-app: `__KEY__` placeholders take the values. */
export function placeholderValues(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name.toUpperCase().replace(/-/g, '_')}=${value}`)
    .join('\n');
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function describeMissing(parameter: TemplateParameter, value: unknown): string {
  return value === undefined || value === null
    ? `is required (${parameter.type}${parameter.pattern === undefined ? '' : `, matching ${parameter.pattern}`})`
    : `must be ${withArticle(parameter.type)}, not ${withArticle(Array.isArray(value) ? 'list' : typeof value)}`;
}

/** "an integer", "a string": the messages are read by people. */
function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function field(name: string, problem: string): FieldProblem {
  return { field: `parameters.${name}`, problems: [problem] };
}
