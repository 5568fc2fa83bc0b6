import type { SimClock } from '../../core/sim-clock';
import type { DeploymentObject } from './workload-types';

interface Tracker {
  progress: string;
  seconds: number;
  /** When the rollout last progressed, in the clock's simulated milliseconds. */
  since: number;
  exceeded: boolean;
  cancel: () => void;
}

/**
 * `progressDeadlineSeconds` in simulated time: a rollout that makes no progress (no change in its
 * pod counts) for that long is marked exceeded, until it progresses again or completes. As the
 * Kubernetes deployment controller compares the deadline with the last progress at every sync, a
 * changed deadline counts from that same moment (and one already exceeded stays exceeded).
 */
export class ProgressDeadlines {
  private readonly trackers = new Map<string, Tracker>();

  constructor(
    private readonly clock: SimClock,
    private readonly onExceeded: (key: string) => void,
  ) {}

  /** Records the rollout's current progress; returns true while its deadline is exceeded. */
  track(key: string, progress: string, complete: boolean, deployment: DeploymentObject): boolean {
    const tracker = this.trackers.get(key);
    if (complete) {
      this.forget(key);
      return false;
    }
    const seconds = deployment.spec.progressDeadlineSeconds ?? 600;
    if (tracker !== undefined && tracker.progress === progress) {
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

  private start(key: string, progress: string, seconds: number, since: number): boolean {
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
