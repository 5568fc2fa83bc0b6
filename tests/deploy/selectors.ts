/** A label selector as Deployments, PDBs and NetworkPolicies write it. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether `labels` satisfy `selector`, with the API server's semantics. */
export function selects(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => have[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in have && values.includes(have[key] ?? '');
      case 'NotIn':
        return !(key in have) || !values.includes(have[key] ?? '');
      case 'Exists':
        return key in have;
      case 'DoesNotExist':
        return !(key in have);
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabels && byExpressions;
}

/** A Service's selector is a plain map: every pair must match. */
export function selectsByMap(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  return selector !== undefined && selects({ matchLabels: selector }, labels);
}
