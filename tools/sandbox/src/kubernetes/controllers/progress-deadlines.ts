import type { SimClock } from '../../core/sim-clock';
import type { DeploymentObject } from './workload-types';

interface Tracker {
  progress: string;
  exceeded: boolean;
  cancel: () => void;
}

/**
 * `progressDeadlineSeconds` in simulated time: a rollout that makes no progress (no change in its
 * pod counts) for that long is marked exceeded, until it progresses again or completes.
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
    if (tracker !== undefined && tracker.progress === progress) return tracker.exceeded;
    tracker?.cancel();
    const seconds = deployment.spec.progressDeadlineSeconds ?? 600;
    const next: Tracker = { progress, exceeded: false, cancel: () => undefined };
    next.cancel = this.clock.after(seconds * 1000, () => {
      next.exceeded = true;
      this.onExceeded(key);
    });
    this.trackers.set(key, next);
    return false;
  }

  forget(key: string): void {
    this.trackers.get(key)?.cancel();
    this.trackers.delete(key);
  }

  stop(): void {
    for (const tracker of this.trackers.values()) tracker.cancel();
    this.trackers.clear();
  }
}
