import type { Logger } from '@nestjs/common';
import type { WatchNotice } from '@platform/watch';
import type { Observable, Subscription } from 'rxjs';
import { SummaryFolder, type SnapshotPage } from '../fold/summary-folder';
import { SourceTracker, WATCHES, type WatchName } from './source-tracker';
import type { ConnectionListener, UpstreamSources } from './upstream-sources';

/** How one watch is opened and what of the folder its pages and its events go to. */
interface WatchedSource<E, I> {
  open(sources: UpstreamSources, listen: ConnectionListener): Observable<WatchNotice<E, I>>;
  page(folder: SummaryFolder, page: SnapshotPage<I>): void;
  event(folder: SummaryFolder, event: E): void;
}

/** What a watch hands its notices to: the set's folder, while the set is open. */
interface Sink {
  readonly folder: SummaryFolder;
  readonly open: boolean;
  listened(watch: WatchName): ConnectionListener;
  listedPage(watch: WatchName, last: boolean): void;
  failed(watch: WatchName, error: unknown): void;
}

/** A source with its types closed over, so that one table holds sources of every kind. */
type Follow = (sources: UpstreamSources, sink: Sink) => Subscription;

function follow<E, I>(watch: WatchName, source: WatchedSource<E, I>): Follow {
  return (sources, sink) =>
    source.open(sources, sink.listened(watch)).subscribe({
      next: (notice) => {
        if (!sink.open) return;
        if (notice.kind === 'snapshot-page') {
          source.page(sink.folder, notice);
          sink.listedPage(watch, notice.last);
        } else if (notice.kind === 'event') source.event(sink.folder, notice.event);
      },
      error: (error: unknown) => sink.failed(watch, error),
    });
}

/** Every source the summary folds: where it comes from, and which folder methods take it in. */
const SOURCES: Record<WatchName, Follow> = {
  argocd: follow('argocd', {
    open: (s, listen) => s.applications(listen),
    page: (f, page) => f.applicationsPage(page),
    event: (f, e) => f.application(e.type, e.application),
  }),
  workflows: follow('workflows', {
    open: (s, listen) => s.workflows(listen),
    page: (f, page) => f.workflowsPage(page),
    event: (f, e) => f.workflow(e.type, e.object),
  }),
  pods: follow('pods', {
    open: (s, listen) => s.pods(listen),
    page: (f, page) => f.podsPage(page),
    event: (f, e) => f.pod(e.type, e.object),
  }),
  deployments: follow('deployments', {
    open: (s, listen) => s.deployments(listen),
    page: (f, page) => f.deploymentsPage(page),
    event: (f, e) => f.deployment(e.type, e.object),
  }),
  warnings: follow('warnings', {
    open: (s, listen) => s.warnings(listen),
    page: (f, page) => f.warningsPage(page),
    event: (f, e) => f.warning(e.type, e.object),
  }),
};

/**
 * One term of watching: every source list-then-watched and folded into one fresh folder, with
 * each watch's connection state. Closed, it folds and reports nothing more (a later term starts a
 * new set, so that nothing of an old watch reaches the new folder).
 */
export class WatchSet implements Sink {
  readonly folder = new SummaryFolder();
  readonly tracker = new SourceTracker();
  private readonly listed = new Set<WatchName>();
  private readonly startedAt = performance.now();
  private subscriptions: Subscription[] = [];
  private closed = false;

  /** `onListed` is told each time a source's list is complete (its last page folded). */
  constructor(
    private readonly logger: Logger,
    private readonly onListed: () => void,
  ) {}

  get open(): boolean {
    return !this.closed;
  }

  /** Whether every source has folded its whole list at least once. */
  get allListed(): boolean {
    return WATCHES.every((w) => this.listed.has(w));
  }

  start(sources: UpstreamSources): void {
    this.subscriptions = WATCHES.map((watch) => SOURCES[watch](sources, this));
  }

  close(): void {
    this.closed = true;
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
  }

  listened(watch: WatchName): ConnectionListener {
    return (connected, reason) => {
      if (this.open) this.tracker.set(watch, connected, reason);
    };
  }

  listedPage(watch: WatchName, last: boolean): void {
    if (!last) return;
    // Which source a slow resync waits for: when its list's last page was folded.
    if (!this.listed.has(watch))
      this.logger.log(
        `${watch} listed ${Math.round(performance.now() - this.startedAt)} ms after the watch started`,
      );
    this.listed.add(watch);
    this.onListed();
  }

  failed(watch: WatchName, error: unknown): void {
    this.logger.error(`${watch} watch failed for good: ${(error as Error).message}`);
  }
}
