import type { SummarySource } from '@platform/domain';
import type { SourceView } from '../store/source-health';

export interface SourceReport {
  connected: boolean;
  since: string | null;
  stale: boolean;
  reason: string | null;
}

/** How fresh each upstream's data is, as responses report it. */
export function sourcesReport(sources: Map<SummarySource, SourceView>): {
  stale: boolean;
  sources: Record<string, SourceReport>;
} {
  const out: Record<string, SourceReport> = {};
  for (const [source, view] of sources) {
    out[source] = {
      connected: view.connected,
      since: view.since > 0 ? new Date(view.since).toISOString() : null,
      stale: view.stale,
      reason: view.reason ?? null,
    };
  }
  return { stale: [...sources.values()].some((v) => v.stale), sources: out };
}

const reportTexts = new WeakMap<Map<SummarySource, SourceView>, string>();

/**
 * {@link sourcesReport} as the members of a JSON object (`"stale":…,"sources":{…}`), to close a
 * page with. Remembered per view, which the sources cache shares between requests.
 */
export function sourcesReportMembers(sources: Map<SummarySource, SourceView>): string {
  let text = reportTexts.get(sources);
  if (text === undefined) {
    text = JSON.stringify(sourcesReport(sources)).slice(1, -1);
    reportTexts.set(sources, text);
  }
  return text;
}
