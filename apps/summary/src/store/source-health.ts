import {
  PART_SOURCES,
  SUMMARY_PARTS,
  type AppSummary,
  type SummaryPart,
  type SummarySource,
} from '@platform/domain';
import type { StoredSummary } from '../fold/stored-summary';

/** What the leader reports about one upstream, refreshed every heartbeat. */
export interface SourceStatus {
  connected: boolean;
  /** Since when it has been (dis)connected, ms since the epoch. */
  since: number;
  /** The leader's last heartbeat: a silent leader makes every source stale. */
  heartbeatAt: number;
  reason?: string;
}

export interface SourceView extends SourceStatus {
  stale: boolean;
}

/** Parses the `sources` hash (source → JSON status). */
export function parseSources(flat: string[] | Record<string, string>): Map<SummarySource, SourceStatus> {
  const entries: Array<[string, string]> = Array.isArray(flat)
    ? Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i] ?? '', flat[2 * i + 1] ?? ''])
    : Object.entries(flat);
  const out = new Map<SummarySource, SourceStatus>();
  for (const [source, json] of entries) {
    try {
      out.set(source as SummarySource, JSON.parse(json) as SourceStatus);
    } catch {
      // a field this version does not know: ignore
    }
  }
  return out;
}

/**
 * A source is stale when it has been disconnected longer than the threshold, when no leader has
 * reported on it for that long, or when no leader ever has.
 */
export function staleSources(
  sources: Map<SummarySource, SourceStatus>,
  staleAfterMs: number,
  now = Date.now(),
): Map<SummarySource, SourceView> {
  const out = new Map<SummarySource, SourceView>();
  for (const source of ['argocd', 'workflows', 'kubernetes'] as const) {
    const status = sources.get(source) ?? {
      connected: false,
      since: 0,
      heartbeatAt: 0,
      reason: 'never reported',
    };
    const stale =
      now - status.heartbeatAt > staleAfterMs || (!status.connected && now - status.since > staleAfterMs);
    out.set(source, { ...status, stale });
  }
  return out;
}

/**
 * When {@link staleSources} next changes its answer for these reports without a new report: the
 * earliest moment a heartbeat or a disconnection passes the threshold (Infinity when none will).
 * A cached view is exact until then.
 */
export function staleChangesAt(
  sources: Map<SummarySource, SourceStatus>,
  staleAfterMs: number,
  now = Date.now(),
): number {
  let at = Infinity;
  for (const source of ['argocd', 'workflows', 'kubernetes'] as const) {
    const status = sources.get(source);
    if (status === undefined) continue;
    for (const from of status.connected ? [status.heartbeatAt] : [status.heartbeatAt, status.since]) {
      const when = from + staleAfterMs + 1;
      if (when > now && when < at) at = when;
    }
  }
  return at;
}

function staleParts(sources: Map<SummarySource, SourceView>): SummaryPart[] {
  return SUMMARY_PARTS.filter((part) => sources.get(PART_SOURCES[part])?.stale === true);
}

/** The summary with its stale parts marked, as readers return it. */
export function withStaleness(summary: StoredSummary, sources: Map<SummarySource, SourceView>): AppSummary {
  const parts = staleParts(sources);
  return { ...summary, staleParts: parts, stale: parts.length > 0 };
}

const suffixes = new WeakMap<Map<SummarySource, SourceView>, string>();

/**
 * The same for stored JSON, without parsing it: the text that replaces a record's closing brace
 * (the list serves pages of records as they are, so it never parses and re-serializes them).
 * Remembered per view: the sources cache hands out one view object for as long as it holds.
 */
export function staleSuffix(sources: Map<SummarySource, SourceView>): string {
  let suffix = suffixes.get(sources);
  if (suffix === undefined) {
    const parts = staleParts(sources);
    suffix = `,"staleParts":${JSON.stringify(parts)},"stale":${parts.length > 0}}`;
    suffixes.set(sources, suffix);
  }
  return suffix;
}
