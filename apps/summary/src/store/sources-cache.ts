import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { SummarySource } from '@platform/domain';
import { SummaryConfig } from '../config/summary-config';
import { staleChangesAt, staleSources, type SourceStatus, type SourceView } from './source-health';
import { SummaryReader } from './summary-reader';

const REFRESH_MS = 500;

/**
 * The leader's reports on each source, re-read twice a second rather than on every request:
 * staleness is judged in seconds, and the hot list path then needs Redis for the page alone.
 * Staleness itself is computed at each call from the last reports and the clock, so a report
 * that stops coming (leader gone, Redis away) turns into stale parts on time.
 */
@Injectable()
export class SourcesCache implements OnApplicationShutdown {
  private statuses = new Map<SummarySource, SourceStatus>();
  /** The last view handed out, valid for these statuses until `until` (see staleChangesAt). */
  private memo:
    | { statuses: Map<SummarySource, SourceStatus>; until: number; view: Map<SummarySource, SourceView> }
    | undefined;
  private loaded: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly reader: SummaryReader,
    private readonly config: SummaryConfig,
  ) {
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  async view(): Promise<Map<SummarySource, SourceView>> {
    this.loaded ??= this.refresh();
    await this.loaded;
    return this.memoized();
  }

  /** The view from the reports at hand (before the first load: every source stale). */
  current(): Map<SummarySource, SourceView> {
    this.loaded ??= this.refresh();
    return this.memoized();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * One view object for as long as its answer holds: every request of the hot list path then
   * shares it and what is derived from it (the stale suffix, the sources report), instead of
   * recomputing them per request.
   */
  private memoized(): Map<SummarySource, SourceView> {
    const now = Date.now();
    const memo = this.memo;
    if (memo !== undefined && memo.statuses === this.statuses && now < memo.until) return memo.view;
    const view = staleSources(this.statuses, this.config.staleAfterMs, now);
    this.memo = {
      statuses: this.statuses,
      until: staleChangesAt(this.statuses, this.config.staleAfterMs, now),
      view,
    };
    return view;
  }

  private async refresh(): Promise<void> {
    try {
      this.statuses = await this.reader.sourceStatuses();
    } catch {
      // Redis away: keep the last reports, which age into staleness by themselves.
    }
  }
}
