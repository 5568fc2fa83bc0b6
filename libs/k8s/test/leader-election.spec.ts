import { Kinds } from '@platform/sandbox';
import { loadKubeConfig } from '../src/kube-config';
import { LeaderElector } from '../src/leader-election';
import { PausableProxy } from './pausable-proxy';
import { eventually, startSandboxKube, type SandboxKube } from './sandbox-kube';

// Lease durations are whole seconds on the wire (leaseDurationSeconds), so the test uses 1 s.
const TIMING = { leaseDurationMs: 1000, renewDeadlineMs: 700, retryPeriodMs: 100 };
const RENEW_PERIODS = 200;
/** A follower sees the final renewal within a retry period, then waits the lease out. */
const TAKEOVER_BOUND_MS = TIMING.leaseDurationMs + 3 * TIMING.retryPeriodMs;

interface Candidate {
  id: string;
  elector: LeaderElector;
  proxy: PausableProxy;
  alive: boolean;
}

describe(LeaderElector.name, () => {
  let kube: SandboxKube;
  const candidates: Candidate[] = [];

  beforeEach(async () => {
    kube = await startSandboxKube();
    kube.ctx.store.create(Kinds.Namespace, { metadata: { name: 'platform' } });
  });
  afterEach(async () => {
    for (const c of candidates.splice(0)) {
      await c.elector.stop();
      await c.proxy.close();
    }
    await kube.close();
  });

  async function candidate(id: string): Promise<Candidate> {
    const { proxy, url } = await PausableProxy.start(kube.url);
    const caData = Buffer.from(kube.caPem).toString('base64');
    const kc = loadKubeConfig({ server: { url, token: 'k8s-lib-test', caData } });
    const elector = new LeaderElector(kc, {
      namespace: 'platform',
      name: 'collector',
      identity: id,
      ...TIMING,
    });
    const c = { id, elector, proxy, alive: true };
    candidates.push(c);
    elector.start();
    return c;
  }

  const leaders = (): string[] => candidates.filter((c) => c.alive && c.elector.isLeader).map((c) => c.id);

  it('elects one leader and writes MicroTime renewals to the Lease', async () => {
    await candidate('a');
    await candidate('b');
    await eventually(() => expect(leaders()).toHaveLength(1));
    const lease = kube.ctx.store.mustGet(Kinds.Lease, 'platform', 'collector');
    const spec = lease.spec as { holderIdentity: string; renewTime: string; leaseDurationSeconds: number };
    expect(leaders()).toEqual([spec.holderIdentity]);
    expect(spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('hands over on release without waiting for expiry', async () => {
    const a = await candidate('a');
    await eventually(() => expect(leaders()).toEqual(['a']));
    await candidate('b');
    await a.elector.stop();
    a.alive = false;
    await eventually(() => expect(leaders()).toEqual(['b']), 5 * TIMING.retryPeriodMs);
  });

  it('leads again after a renewal that outlasted the renew deadline, and says so on leadership$', async () => {
    const a = await candidate('a');
    const seen: boolean[] = [];
    const subscription = a.elector.leadership$.subscribe((leading) => seen.push(leading));
    await eventually(() => expect(leaders()).toEqual(['a']));
    // A stalled renewal (slow API server, starved process) that answers just after the renew
    // deadline, long before the lease expires, so that nobody else could have taken it. The
    // collector asks isLeader meanwhile (as its flush timer does) and stops writing.
    a.proxy.pause();
    await eventually(() => expect(a.elector.isLeader).toBe(false), 2 * TIMING.renewDeadlineMs, 5);
    a.proxy.resume();
    await eventually(() => expect(leaders()).toEqual(['a']), 10 * TIMING.retryPeriodMs);
    subscription.unsubscribe();
    // What a collector subscribed to leadership$ saw: it was told to stop, then to start again.
    expect(seen).toEqual([false, true, false, true]);
  });

  it(`never has two leaders over ${RENEW_PERIODS} renew periods of pauses and kills, and re-elects within the lease duration plus the retry periods`, async () => {
    for (const id of ['a', 'b', 'c']) await candidate(id);
    let overlaps = 0;
    let worstTakeoverMs = 0;
    const sampler = setInterval(() => {
      if (leaders().length > 1) overlaps += 1;
    }, 5);
    let spawned = 0;
    try {
      for (let period = 0; period < RENEW_PERIODS; period += 10) {
        await new Promise((resolve) => setTimeout(resolve, TIMING.retryPeriodMs * 10));
        const [leader] = leaders();
        const live = candidates.filter((c) => c.alive);
        const dice = Math.random();
        if (leader !== undefined && dice < 0.25) {
          // Kill the leader outright: no release, no more renewals.
          const victim = live.find((c) => c.id === leader);
          if (victim === undefined) continue;
          victim.alive = false;
          victim.proxy.kill();
          await victim.elector.stop();
          const killedAt = performance.now();
          await eventually(() => expect(leaders()).toHaveLength(1), TAKEOVER_BOUND_MS);
          worstTakeoverMs = Math.max(worstTakeoverMs, performance.now() - killedAt);
          spawned += 1;
          await candidate(`replacement-${spawned}`);
        } else if (dice < 0.6) {
          // Pause someone (the leader half of the time) for longer than the renew deadline.
          const target =
            leader !== undefined && Math.random() < 0.5
              ? live.find((c) => c.id === leader)
              : live[Math.floor(Math.random() * live.length)];
          target?.proxy.pause();
          await new Promise((resolve) =>
            setTimeout(resolve, TIMING.renewDeadlineMs + Math.random() * TIMING.leaseDurationMs),
          );
          target?.proxy.resume();
        }
      }
    } finally {
      clearInterval(sampler);
    }
    console.log(
      `leader election: ${RENEW_PERIODS} renew periods, ${spawned} kills, worst re-election ${Math.round(worstTakeoverMs)} ms (lease ${TIMING.leaseDurationMs} ms)`,
    );
    expect(overlaps).toBe(0);
    await eventually(() => expect(leaders()).toHaveLength(1), TIMING.leaseDurationMs * 3);
  }, 120_000);
});
