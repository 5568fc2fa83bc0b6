import type { SimClock } from '../../core/sim-clock';
import type { PodObject } from '../../kubernetes/controllers/workload-types';
import { podTrouble } from '../shared/health-resources';

interface Stuck {
  app: string;
  group: string;
  due: boolean;
  cancel: () => void;
}

/**
 * Pods of an app stuck in CrashLoopBackOff or ImagePullBackOff for longer than a deadline (in
 * simulated time) turn the app's Deployment Degraded, without waiting for its much longer
 * progress deadline: what an operator looking at the pods would call it.
 */
export class PodBackOffTracker {
  private readonly stuck = new Map<string, Stuck>();

  constructor(
    private readonly clock: SimClock,
    private readonly deadlineMs: number,
    private readonly onDue: (app: string) => void,
  ) {}

  /**
   * The trouble of the first pod past the deadline, if any; starts the clock for newly stuck pods
   * and forgets the pods of `group` (one Deployment of the app) that are no longer stuck.
   */
  check(app: string, pods: PodObject[], group = app): string | undefined {
    const seen = new Set<string>();
    let overdue: string | undefined;
    for (const pod of pods) {
      const trouble = pod.metadata.deletionTimestamp === undefined ? podTrouble(pod) : undefined;
      const uid = pod.metadata.uid ?? '';
      if (trouble === undefined) continue;
      seen.add(uid);
      let entry = this.stuck.get(uid);
      if (entry === undefined) {
        const created: Stuck = { app, group, due: false, cancel: () => undefined };
        created.cancel = this.clock.after(this.deadlineMs, () => {
          created.due = true;
          this.onDue(app);
        });
        this.stuck.set(uid, (entry = created));
      }
      if (entry.due && overdue === undefined) overdue = `Pod "${pod.metadata.name ?? ''}": ${trouble}`;
    }
    for (const [uid, entry] of this.stuck) {
      if (entry.group === group && !seen.has(uid)) {
        entry.cancel();
        this.stuck.delete(uid);
      }
    }
    return overdue;
  }

  stop(): void {
    for (const entry of this.stuck.values()) entry.cancel();
    this.stuck.clear();
  }
}
