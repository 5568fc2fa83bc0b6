import type { AppSummary } from '@platform/domain';

/**
 * An AppSummary as Redis holds it: without the staleness fields, which depend on the sources'
 * state at read time and are added by whoever serves it.
 */
export type StoredSummary = Omit<AppSummary, 'staleParts' | 'stale'>;
