import type { SourceReport, SummarySource } from '@platform/domain';
import type { SourceView } from '../store/source-health';

/**
 * How fresh each upstream's data is, as responses report it. Why a source is disconnected is an
 * upstream's own error text: only admins get it (`reasons`), others see null.
 */
export function sourcesReport(
  sources: Map<SummarySource, SourceView>,
  reasons = true,
): {
  stale: boolean;
  sources: Record<string, SourceReport>;
} {
  const out: Record<string, SourceReport> = {};
  for (const [source, view] of sources) {
    out[source] = {
      connected: view.connected,
      since: view.since > 0 ? new Date(view.since).toISOString() : null,
      stale: view.stale,
      reason: reasons ? (view.reason ?? null) : null,
    };
  }
  return { stale: [...sources.values()].some((v) => v.stale), sources: out };
}

const reportTexts = {
  withReasons: new WeakMap<Map<SummarySource, SourceView>, string>(),
  withoutReasons: new WeakMap<Map<SummarySource, SourceView>, string>(),
};

/**
 * {@link sourcesReport} as the members of a JSON object (`"stale":…,"sources":{…}`), to close a
 * page with. Remembered per view, which the sources cache shares between requests.
 */
export function sourcesReportMembers(sources: Map<SummarySource, SourceView>, reasons: boolean): string {
  const texts = reasons ? reportTexts.withReasons : reportTexts.withoutReasons;
  let text = texts.get(sources);
  if (text === undefined) {
    text = JSON.stringify(sourcesReport(sources, reasons)).slice(1, -1);
    texts.set(sources, text);
  }
  return text;
}
