import type { SummarySource } from '@platform/domain';
import type { SourceStatus } from '../store/source-health';

/** The watches behind each source: Kubernetes is three (pods, Deployments and Warning events). */
export const WATCHES = ['argocd', 'workflows', 'pods', 'deployments', 'warnings'] as const;
export type WatchName = (typeof WATCHES)[number];

const SOURCE_OF: Record<WatchName, SummarySource> = {
  argocd: 'argocd',
  workflows: 'workflows',
  pods: 'kubernetes',
  deployments: 'kubernetes',
  warnings: 'kubernetes',
};

interface WatchState {
  connected: boolean;
  since: number;
  reason: string;
}

/** Connection state of every watch, rolled up per source (a source is up when all its watches are). */
export class SourceTracker {
  private readonly watches = new Map<WatchName, WatchState>();

  constructor(private readonly now: () => number = Date.now) {
    for (const watch of WATCHES)
      this.watches.set(watch, { connected: false, since: now(), reason: 'starting' });
  }

  set(watch: WatchName, connected: boolean, reason: string): void {
    const current = this.watches.get(watch);
    if (current?.connected === connected) return;
    this.watches.set(watch, { connected, since: this.now(), reason });
  }

  /** Per source: connected when all its watches are, since the latest change among them. */
  statuses(heartbeatAt: number): Record<SummarySource, SourceStatus> {
    const out = {} as Record<SummarySource, SourceStatus>;
    for (const [watch, state] of this.watches) {
      const source = SOURCE_OF[watch];
      const prior = out[source];
      if (prior === undefined) {
        out[source] = { connected: state.connected, since: state.since, heartbeatAt, reason: state.reason };
        continue;
      }
      // Down if any watch is down, since the earliest outage; up since the latest reconnect.
      if (!state.connected && (prior.connected || state.since < prior.since))
        out[source] = { ...prior, connected: false, since: state.since, reason: state.reason };
      else if (state.connected && prior.connected && state.since > prior.since)
        out[source] = { ...prior, since: state.since };
    }
    return out;
  }
}
