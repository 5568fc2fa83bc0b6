import type { AppCondition } from './app-types';

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
  const others = (conditions ?? []).filter((c) => c.type !== type);
  if (message === undefined) return others;
  const existing = conditions?.find((c) => c.type === type && c.message === message);
  return [...others, existing ?? { type, message, lastTransitionTime: now }];
}
