import type { AppCondition } from '../shared/app-types';

/** The ComparisonError condition text the controller writes when manifests cannot be generated. */
export function comparisonError(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = ${detail}`;
}

/** An operation stopped by a comparison error: `argo.FormatAppConditions` of that condition. */
export function comparisonErrorMessage(error: unknown): string {
  return `ComparisonError: ${comparisonError(error)}`;
}

/**
 * The condition list with one condition of `type` set (keeping its lastTransitionTime when the
 * message is unchanged) or removed (message undefined).
 */
export function setCondition(
  conditions: AppCondition[] | undefined,
  type: string,
  message: string | undefined,
  now: string,
): AppCondition[] {
  return setConditions(conditions, message === undefined ? [] : [{ type, message }], [type], now);
}

/**
 * `ApplicationStatus.SetConditions`: the conditions of the evaluated types are replaced by the new
 * ones (a condition whose type and message are unchanged keeps its lastTransitionTime), the others
 * kept; sorted by type, message and time.
 */
export function setConditions(
  conditions: AppCondition[] | undefined,
  incoming: ReadonlyArray<{ type: string; message: string }>,
  evaluatedTypes: readonly string[],
  now: string,
): AppCondition[] {
  const existing = conditions ?? [];
  const kept = existing.filter((c) => !evaluatedTypes.includes(c.type));
  const set = incoming.map((c) => {
    const same = existing.find((e) => e.type === c.type);
    return same !== undefined && same.message === c.message ? same : { ...c, lastTransitionTime: now };
  });
  const key = (c: AppCondition) => `${c.type}/${c.message}/${c.lastTransitionTime}`;
  return [...kept, ...set].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
