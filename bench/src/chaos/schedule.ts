import { sleep } from './api';
import { FaultPlan } from './fault-plan';
import type { Stack } from './stack';

/** What the schedule did besides the fault knobs, for the report. */
export interface ScheduleEvents {
  redisRestarts: number;
  leaderKills: number;
  /** From the leader's SIGKILL until another replica held the Lease, in seconds. */
  leaderTakeoverSeconds: number | undefined;
}

const SPIKE_MS = 3000;
const SPIKE_EVERY_MS = 10_000;
const SPIKE_LATENCY_MS = 2000;
const EXPIRED_MS = 4000;

/**
 * The faults of a soak of `seconds`, in the order they come: steady errors and stream drops from
 * the start, latency spikes every 10 s on one upstream after another, 410s on every watch
 * resume twice, a Redis restart at 40 % and the summary leader's SIGKILL at 55 %. Resolves when
 * the last one is over; the steady faults stay on until {@link FaultPlan.clear}.
 */
export async function runSchedule(
  seconds: number,
  stack: Stack,
  faults: FaultPlan,
  events: ScheduleEvents,
): Promise<void> {
  const ms = seconds * 1000;
  const at = async (share: number, action: () => Promise<void>): Promise<void> => {
    await sleep(share * ms);
    await action();
  };
  await faults.steady(0.1, 5);
  const spikeEvery = SPIKE_EVERY_MS;
  const spikes: Array<Promise<void>> = [];
  for (let t = 0.1 * ms, i = 0; t < 0.9 * ms; t += spikeEvery, i += 1) {
    const upstream = FaultPlan.allUpstreams[i % FaultPlan.allUpstreams.length] ?? 'argo';
    spikes.push(
      at(t / ms, () =>
        faults.during(
          [upstream],
          { latencyMs: SPIKE_LATENCY_MS },
          SPIKE_MS,
          `latency spike: ${upstream} +${SPIKE_LATENCY_MS} ms for ${SPIKE_MS / 1000} s`,
        ),
      ),
    );
  }
  const expired = (share: number): Promise<void> =>
    at(share, async () => {
      await faults.expireHistory();
      await faults.during(
        ['kube', 'argo'],
        { force410: true },
        EXPIRED_MS,
        `410 Expired on every watch resume (kube, argo) for ${EXPIRED_MS / 1000} s`,
      );
    });
  await Promise.all([
    ...spikes,
    expired(0.25),
    expired(0.75),
    at(0.4, async () => {
      faults.log.push('Redis restarted (SIGKILL, empty after 1 s)');
      await stack.redis.restart(1000);
      events.redisRestarts += 1;
    }),
    at(0.55, () => killLeader(stack, faults, events)),
  ]);
}

/** SIGKILLs the replica holding the summary Lease; its replacement starts 2 s later. */
async function killLeader(stack: Stack, faults: FaultPlan, events: ScheduleEvents): Promise<void> {
  const holder = (await stack.sandbox.truth()).leaseHolder;
  const leader = stack.summaries.find((r) => r.podName === holder);
  if (leader === undefined) {
    faults.log.push(`summary leader kill skipped: the Lease is held by ${holder ?? 'nobody'}`);
    return;
  }
  faults.log.push(`summary leader ${holder ?? ''} SIGKILLed (replaced after 2 s)`);
  const killedAt = Date.now();
  const replaced = leader.kill('SIGKILL', 2000);
  events.leaderKills += 1;
  for (let i = 0; i < 120; i += 1) {
    await sleep(500);
    const now = (await stack.sandbox.truth()).leaseHolder;
    if (now !== null && now !== holder) {
      events.leaderTakeoverSeconds = (Date.now() - killedAt) / 1000;
      break;
    }
  }
  await replaced;
}
