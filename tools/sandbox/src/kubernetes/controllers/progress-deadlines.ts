import type { SimClock } from '../../core/sim-clock';
import type { RolloutCounts } from './deployment-status';
import type { DeploymentObject } from './workload-types';

/** Where a rollout stands: its new ReplicaSet and the pod counts of all of them. */
export interface RolloutProgress extends RolloutCounts {
  newRs: string;
}

interface Tracker {
  progress: RolloutProgress;
  seconds: number;
  /** When the rollout last progressed, in the clock's simulated milliseconds. */
  since: number;
  exceeded: boolean;
  cancel: () => void;
}

/**
 * `progressDeadlineSeconds` in simulated time: a rollout that makes no progress for that long is
 * marked exceeded, until it progresses again or completes. Progress is what the Kubernetes
 * deployment controller calls it (pkg/controller/deployment/util, DeploymentProgressing): more
 * updated, ready or available pods, fewer old ones, or a new ReplicaSet; pods lost to a crash do
 * not restart the clock. As DeploymentTimedOut (same package) compares the deadline with the
 * Progressing condition's lastUpdateTime at every sync, and keeps a condition already
 * ProgressDeadlineExceeded, a changed deadline counts from the last progress and one already
 * exceeded stays exceeded.
 */
export class ProgressDeadlines {
  private readonly trackers = new Map<string, Tracker>();

  constructor(
    private readonly clock: SimClock,
    private readonly onExceeded: (key: string) => void,
  ) {}

  /** Records the rollout's current progress; returns true while its deadline is exceeded. */
  track(key: string, progress: RolloutProgress, complete: boolean, deployment: DeploymentObject): boolean {
    const tracker = this.trackers.get(key);
    if (complete) {
      this.forget(key);
      return false;
    }
    const seconds = deployment.spec.progressDeadlineSeconds ?? 600;
    if (tracker !== undefined && !progressed(tracker.progress, progress)) {
      tracker.progress = progress;
      if (tracker.exceeded || tracker.seconds === seconds) return tracker.exceeded;
      tracker.cancel();
      return this.start(key, progress, seconds, tracker.since);
    }
    tracker?.cancel();
    return this.start(key, progress, seconds, this.clock.elapsedMs());
  }

  forget(key: string): void {
    this.trackers.get(key)?.cancel();
    this.trackers.delete(key);
  }

  stop(): void {
    for (const tracker of this.trackers.values()) tracker.cancel();
    this.trackers.clear();
  }

  private start(key: string, progress: RolloutProgress, seconds: number, since: number): boolean {
    const left = seconds * 1000 - (this.clock.elapsedMs() - since);
    const next: Tracker = { progress, seconds, since, exceeded: left <= 0, cancel: () => undefined };
    if (!next.exceeded)
      next.cancel = this.clock.after(left, () => {
        next.exceeded = true;
        this.onExceeded(key);
      });
    this.trackers.set(key, next);
    return next.exceeded;
  }
}

function progressed(before: RolloutProgress, now: RolloutProgress): boolean {
  return (
    now.newRs !== before.newRs ||
    now.updated > before.updated ||
    now.total - now.updated < before.total - before.updated ||
    now.ready > before.ready ||
    now.available > before.available
  );
}
