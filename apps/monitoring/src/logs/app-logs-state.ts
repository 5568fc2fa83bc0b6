import type { PodLogLine, PodLogMembership } from '@platform/domain';
import { compareLogTimes } from '@platform/k8s';

/**
 * What an app's logs topic holds for clients that join: the pods' containers now followed and the
 * newest lines of each (at most `keepLines` per container), from which each client cuts its own
 * snapshot. A container that leaves takes its lines along: a snapshot is the history of what runs.
 */
export class AppLogsState {
  private readonly byContainer = new Map<string, PodLogLine[]>();
  /**
   * Views cut since the last change, by tail and container: clients that join while nothing
   * changes share one (and so one encoding of it: see Topic's last snapshot). Views with `since`
   * depend on the clock and are cut afresh.
   */
  private readonly views = new Map<string, LogsView>();

  constructor(private readonly keepLines: number) {}

  add(line: PodLogLine): void {
    this.views.clear();
    const key = `${line.pod}/${line.container}`;
    const lines = this.byContainer.get(key) ?? [];
    lines.push(line);
    if (lines.length > this.keepLines) lines.shift();
    this.byContainer.set(key, lines);
  }

  apply({ pod, container, change }: PodLogMembership): void {
    this.views.clear();
    const key = `${pod}/${container}`;
    if (change === 'joined') this.byContainer.set(key, this.byContainer.get(key) ?? []);
    else this.byContainer.delete(key);
  }

  /**
   * The pods followed now and, per container (only `container` when given), its newest `tail`
   * lines younger than `sinceSeconds`.
   */
  view(tail: number, sinceSeconds: number | undefined, container?: string): LogsView {
    if (sinceSeconds !== undefined) return this.cut(tail, sinceSeconds, container);
    const key = `${tail}/${container ?? '*'}`;
    let view = this.views.get(key);
    if (view === undefined) this.views.set(key, (view = this.cut(tail, undefined, container)));
    return view;
  }

  private cut(tail: number, sinceSeconds: number | undefined, container: string | undefined): LogsView {
    const cutoff = sinceSeconds === undefined ? undefined : Date.now() - sinceSeconds * 1000;
    const keys = [...this.byContainer.keys()].filter(
      (key) => container === undefined || key.endsWith(`/${container}`),
    );
    const pods = [...new Set(keys.map((key) => key.slice(0, key.indexOf('/'))))];
    const newest = (ofContainer: PodLogLine[]): PodLogLine[] => {
      const recent =
        cutoff === undefined ? ofContainer : ofContainer.filter((l) => Date.parse(l.time) >= cutoff);
      return tail === 0 ? [] : recent.slice(-tail);
    };
    const lines = keys
      .flatMap((key) => newest(this.byContainer.get(key) ?? []))
      .sort((a, b) => compareLogTimes(a.time, b.time));
    return { pods, lines };
  }
}

/** A client's snapshot: the pods followed and their newest lines. */
export interface LogsView {
  pods: string[];
  lines: PodLogLine[];
}

/** A client's snapshot of an AppLogsState (see AppLogsState.view). */
export function logsView(
  tail: number,
  sinceSeconds: number | undefined,
  container?: string,
): (state: unknown) => unknown {
  return (state) => (state as AppLogsState).view(tail, sinceSeconds, container);
}
