import { parse } from 'yaml';
import type { AppSource } from './app-types';

export type Values = Record<string, unknown>;

/** A chart's Chart.yaml fields the renderer uses. */
export interface ChartMeta {
  name: string;
  version: string;
  appVersion?: string;
}

/** Parses a YAML values document; an empty file is `{}`, anything but a map is an error. */
export function parseValues(text: string, file: string): Values {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new Error(`failed to parse ${file}: ${(error as Error).message.split('\n')[0] ?? ''}`, {
      cause: error,
    });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isMap(parsed)) throw new Error(`failed to parse ${file}: error converting YAML to JSON: not a map`);
  return parsed;
}

export function parseChart(text: string): ChartMeta {
  const chart = parseValues(text, 'Chart.yaml');
  if (typeof chart.name !== 'string' || chart.name === '')
    throw new Error('validation: chart.metadata.name is required');
  return {
    name: chart.name,
    version:
      typeof chart.version === 'string' || typeof chart.version === 'number'
        ? String(chart.version)
        : '0.1.0',
    ...(scalarText(chart.appVersion) !== undefined ? { appVersion: scalarText(chart.appVersion) } : {}),
  };
}

/**
 * Helm's values precedence: the chart's values.yaml, then each value file in order, then the
 * Application's inline `helm.values`, `helm.valuesObject` and `helm.parameters` (`--set`).
 * Maps merge deeply, anything else replaces, and a null removes the key, as Helm does.
 */
export function mergeValues(base: Values, valueFiles: Values[], helm: AppSource['helm']): Values {
  let values = base;
  for (const file of valueFiles) values = deepMerge(values, file);
  if (helm?.values !== undefined && helm.values.trim() !== '')
    values = deepMerge(values, parseValues(helm.values, 'values'));
  if (helm?.valuesObject !== undefined) values = deepMerge(values, helm.valuesObject);
  for (const parameter of helm?.parameters ?? [])
    setPath(
      values,
      parameter.name,
      parameter.forceString === true ? parameter.value : typed(parameter.value),
    );
  return values;
}

export function deepMerge(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(current)) out[key] = deepMerge(current, value);
    else out[key] = structuredClone(value);
  }
  return out;
}

function setPath(values: Values, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = values;
  keys.slice(0, -1).forEach((key) => {
    const next = node[key];
    node = isMap(next) ? next : (node[key] = {});
  });
  const last = keys[keys.length - 1];
  if (last !== undefined) node[last] = value;
}

/** `--set` typing: booleans and integers become their type, the rest stays a string. */
function typed(value: string): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^-?\d{1,15}$/.test(value)) return Number(value);
  return value;
}

export function isMap(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The text of a YAML scalar (string, number or boolean); undefined for anything else. */
export function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
