import { SimClock } from '../../core/sim-clock';
import { ProgressDeadlines, type RolloutProgress } from './progress-deadlines';
import type { DeploymentObject } from './workload-types';

const deployment = (progressDeadlineSeconds: number): DeploymentObject =>
  ({ spec: { progressDeadlineSeconds } }) as DeploymentObject;
const at = (counts: Partial<RolloutProgress>): RolloutProgress => ({
  newRs: 'web-1',
  total: 2,
  updated: 1,
  ready: 1,
  available: 1,
  ...counts,
});

describe('ProgressDeadlines (what the deployment controller calls progress)', () => {
  let clock: SimClock;
  let deadlines: ProgressDeadlines;
  beforeEach(() => {
    jest.useFakeTimers();
    clock = new SimClock(1);
    deadlines = new ProgressDeadlines(clock, () => undefined);
  });
  afterEach(() => {
    deadlines.stop();
    jest.useRealTimers();
  });
  const track = (progress: RolloutProgress) => deadlines.track('web', progress, false, deployment(60));

  it('does not restart the deadline when pods are lost (a crash), only when the rollout gains', () => {
    track(at({}));
    jest.advanceTimersByTime(40_000);
    // The new pod crashed: one ready pod fewer is no progress.
    expect(track(at({ ready: 0, available: 0 }))).toBe(false);
    jest.advanceTimersByTime(20_000);
    expect(track(at({ ready: 0, available: 0 }))).toBe(true);
  });

  it('restarts it on more updated, ready or available pods, fewer old ones, or a new ReplicaSet', () => {
    for (const gain of [{ updated: 2 }, { ready: 2 }, { available: 2 }, { total: 1 }, { newRs: 'web-2' }]) {
      deadlines.forget('web');
      track(at({}));
      jest.advanceTimersByTime(40_000);
      expect(track(at(gain))).toBe(false);
      jest.advanceTimersByTime(40_000);
      expect(track(at(gain))).toBe(false);
    }
  });
});
