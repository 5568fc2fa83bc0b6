import type { KubeObject } from '../../core/kube-object';
import { Kinds, type ResourceKind } from '../../core/resource-kinds';
import type { FieldError } from './status';
import { labelErrors } from './validation';

interface WorkloadSpec {
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: { metadata?: { labels?: Record<string, string> } };
}

/**
 * `ValidateDeploymentSpec` / `ValidateReplicaSetSpec` (kubernetes pkg/apis/apps/validation), the
 * parts about labels: a selector is required and not empty, the pod template's labels are valid
 * label keys and values and match the selector.
 */
export function workloadErrors(kind: ResourceKind, object: KubeObject): FieldError[] {
  if (kind !== Kinds.Deployment && kind !== Kinds.ReplicaSet) return [];
  const spec = (object.spec ?? {}) as WorkloadSpec;
  const errors: FieldError[] = [];
  const selector = spec.selector;
  const matchLabels = selector?.matchLabels ?? {};
  if (selector === undefined) {
    errors.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' });
  } else if (Object.keys(matchLabels).length + (selector.matchExpressions?.length ?? 0) === 0) {
    errors.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${goLabelSelector(selector)}: empty selector is invalid for deployment`,
      field: 'spec.selector',
    });
  }
  const labels = spec.template?.metadata?.labels ?? {};
  const selected = Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
  // No selector selects nothing (labels.Nothing()); an empty one everything.
  if (selector === undefined || (Object.keys(matchLabels).length > 0 && !selected)) {
    errors.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${goStringMap(labels)}: \`selector\` does not match template \`labels\``,
      field: 'spec.template.metadata.labels',
    });
  }
  errors.push(...labelErrors(spec.template?.metadata?.labels, 'spec.template.metadata.labels'));
  return errors;
}

/** Go's `%#v` of a map[string]string: keys sorted. */
function goStringMap(map: Record<string, string>): string {
  const entries = Object.keys(map)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(map[key])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** The selector's protobuf `String()`, which field errors print it with. */
function goLabelSelector(selector: NonNullable<WorkloadSpec['selector']>): string {
  const labels = Object.keys(selector.matchLabels ?? {})
    .sort()
    .map((key) => `${key}: ${selector.matchLabels?.[key] ?? ''},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{},}`;
}
