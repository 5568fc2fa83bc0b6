import { FieldSelector } from '../../core/field-selector';
import { LabelSelector } from '../../core/label-selector';
import { KubeApiError } from './status';

/** `true`/`1` as Go's strconv.ParseBool reads query flags (`watch=1`, `follow=true`). */
export function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

/** A non-negative integer query value, or undefined when absent; anything else is 400. */
export function integer(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) {
    throw KubeApiError.badRequest(
      `${name}: Invalid value: "${value}": strconv.ParseInt: parsing "${value}": invalid syntax`,
    );
  }
  return Number(value);
}

export function selectors(query: URLSearchParams): {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
} {
  return {
    labelSelector: LabelSelector.parse(query.get('labelSelector') ?? undefined),
    fieldSelector: FieldSelector.parse(query.get('fieldSelector') ?? undefined),
  };
}
