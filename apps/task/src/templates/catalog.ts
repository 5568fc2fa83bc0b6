import {
  PARAMETER_TYPES,
  type AppTemplate,
  type ParameterType,
  type TemplateParameter,
} from '@platform/domain';
import { parse } from 'yaml';
import { parameterValueProblem } from './parameter-value';

/** The templates the platform offers, by name. */
export class TemplateCatalog {
  private readonly byName: ReadonlyMap<string, AppTemplate>;

  constructor(readonly templates: readonly AppTemplate[]) {
    this.byName = new Map(templates.map((t) => [t.name, t]));
  }

  find(name: string): AppTemplate | undefined {
    return this.byName.get(name);
  }

  get names(): string[] {
    return this.templates.map((t) => t.name);
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Parameters become `__NAME__` placeholders and KEY=value lines: letters, digits and "-" only.
const PARAMETER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// create-app fills these itself; a catalog parameter of that name would be silently overridden.
const RESERVED = new Set(['app', 'team', 'registry', 'image-tag']);

/**
 * Reads catalog.yaml. Every problem is collected, so a broken catalog stops the service at start
 * with one message naming each mistake instead of failing requests later.
 */
export function parseCatalog(text: string): TemplateCatalog {
  const problems: string[] = [];
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new CatalogError([`is not YAML: ${(error as Error).message}`]);
  }
  const list = (document as { templates?: unknown } | null)?.templates;
  if (!Array.isArray(list) || list.length === 0) throw new CatalogError(['has no `templates:` list']);
  const templates = list.map((entry, i) => readTemplate(entry, `templates[${i}]`, problems));
  const seen = new Set<string>();
  for (const t of templates) {
    if (seen.has(t.name)) problems.push(`template "${t.name}" is defined twice`);
    seen.add(t.name);
  }
  if (problems.length > 0) throw new CatalogError(problems);
  return new TemplateCatalog(templates);
}

export class CatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`the template catalog ${problems.join('; ')}`);
    this.name = 'CatalogError';
  }
}

function readTemplate(entry: unknown, at: string, problems: string[]): AppTemplate {
  const t = record(entry);
  const text = (key: string, pattern?: RegExp): string => {
    const value = t[key];
    if (typeof value !== 'string' || value === '' || (pattern !== undefined && !pattern.test(value))) {
      problems.push(
        `${at}.${key} must be ${pattern === undefined ? 'a non-empty string' : 'a DNS-1123 name'}`,
      );
      return '';
    }
    return value;
  };
  const parameters = Array.isArray(t.parameters) ? t.parameters : [];
  if (t.parameters !== undefined && !Array.isArray(t.parameters))
    problems.push(`${at}.parameters must be a list`);
  return {
    name: text('name', NAME),
    title: text('title'),
    description: text('description'),
    sourceRepo: text('sourceRepo', NAME),
    manifestsRepo: text('manifestsRepo', NAME),
    parameters: parameters.map((p, i) => readParameter(p, `${at}.parameters[${i}]`, problems)),
  };
}

function readParameter(entry: unknown, at: string, problems: string[]): TemplateParameter {
  const p = record(entry);
  const name = typeof p.name === 'string' ? p.name : '';
  if (!PARAMETER_NAME.test(name)) problems.push(`${at}.name must be lowercase letters, digits and "-"`);
  if (RESERVED.has(name)) problems.push(`${at}.name "${name}" is set by the platform itself`);
  const type = (PARAMETER_TYPES as readonly unknown[]).includes(p.type)
    ? (p.type as ParameterType)
    : undefined;
  if (type === undefined) problems.push(`${at}.type must be one of ${PARAMETER_TYPES.join(', ')}`);
  const pattern = optionalText(p.pattern, `${at}.pattern`, problems);
  let patternOk = true;
  if (pattern !== undefined) {
    try {
      new RegExp(pattern);
    } catch {
      patternOk = false;
      problems.push(`${at}.pattern is not a regular expression`);
    }
  }
  const maxLength = p.maxLength;
  const maxLengthOk = maxLength === undefined || (Number.isInteger(maxLength) && (maxLength as number) >= 1);
  if (!maxLengthOk) problems.push(`${at}.maxLength must be a whole number of characters, at least 1`);
  // A string value ends up in files of the app's repositories: free text of any length is refused.
  if (type === 'string') {
    if (pattern === undefined) problems.push(`${at} is a string parameter: it needs a pattern`);
    if (maxLength === undefined) problems.push(`${at} is a string parameter: it needs a maxLength`);
  }
  const fallback = scalarText(p.default);
  if (p.default !== undefined && fallback === undefined)
    problems.push(`${at}.default must be a string, number or boolean`);
  const parameter: TemplateParameter = {
    name,
    type: type ?? 'string',
    ...(fallback === undefined ? {} : { default: fallback }),
    ...(pattern === undefined ? {} : { pattern }),
    ...(maxLength !== undefined && maxLengthOk ? { maxLength: maxLength as number } : {}),
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
  };
  const defaultProblem =
    fallback === undefined || !patternOk ? undefined : parameterValueProblem(parameter, fallback);
  if (defaultProblem !== undefined) problems.push(`${at}.default ${defaultProblem}`);
  return parameter;
}

function optionalText(value: unknown, at: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  problems.push(`${at} must be a string`);
  return undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
