// Graceful shutdown under load, through real processes: SIGTERM to the monitoring service with 500
// open streams and to the task service with builds in flight against a slow Argo server, with the
// drain and timeout of their ConfigMaps and the grace period of their Deployments (deploy/base).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kinds } from '@platform/sandbox';
import { signTestToken } from '@platform/service-runtime/testing';
import { deployGrace } from './deploy-grace';
import { PostLoad, type PostOutcome } from './post-load';
import { watchReadiness, type Probe } from './readiness-watch';
import { startShutdownPlatform, TEAM, type RunningService, type ShutdownPlatform } from './shutdown-platform';
import { openStreams, type WatchedStream } from './stream-crowd';

const STREAMS = 500;
/** The default cap of open streams per user: the crowd is 25 users of 20 streams each. */
const STREAMS_PER_USER = 20;
const APPS = 20;
/** Every Argo call of a build takes this long, so builds are in flight when the signal comes. */
const ARGO_LATENCY_MS = 1500;
const POST_EVERY_MS = 150;

interface Stopped {
  signalledAt: number;
  exit: { code: number | null; signal: NodeJS.Signals | null; at: number };
  probes: Probe[];
}

/** Sends SIGTERM and follows readiness until the listener closes; resolves once the process exited. */
async function terminate(service: RunningService): Promise<Stopped> {
  const signalledAt = Date.now();
  service.process.child.kill('SIGTERM');
  const exited = service.process.exited.then(({ code, signal }) => ({ code, signal, at: Date.now() }));
  const probes = await watchReadiness(service.url, 50, exited);
  return { signalledAt, exit: await exited, probes };
}

/** The probes' story in short: `200`, `503`, `ECONNREFUSED`, each run of equal answers once. */
function story(probes: Probe[]): string[] {
  const answers = probes.map((p) => ('status' in p ? String(p.status) : p.error));
  return answers.filter((answer, i) => answer !== answers[i - 1]);
}

describe('graceful shutdown under load (SIGTERM with 500 open streams and builds in flight)', () => {
  let platform: ShutdownPlatform;
  let streams: WatchedStream[];
  let outcomes: PostOutcome[];
  let task: Stopped;
  let monitoring: Stopped;

  beforeAll(async () => {
    platform = await startShutdownPlatform(APPS);
    const users = Array.from({ length: STREAMS / STREAMS_PER_USER }, (_, i) =>
      signTestToken({ sub: `viewer-${i}`, teams: [TEAM] }),
    );
    const tokens = await Promise.all(users);
    streams = await openStreams(
      Array.from({ length: STREAMS }, (_, i) => ({
        url: `${platform.monitoring.url}/monitoring/v1/apps/${platform.apps[i % APPS] ?? ''}/status/stream`,
        token: tokens[Math.floor(i / STREAMS_PER_USER)] ?? '',
      })),
      60_000,
    );
    const faults = await fetch(`${platform.sandbox.urls.admin}/admin/faults/argo`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: ARGO_LATENCY_MS }),
    });
    expect(faults.status).toBe(200);
    const builders = await Promise.all(
      [0, 1, 2, 3].map((i) => signTestToken({ sub: `builder-${i}`, teams: [TEAM] })),
    );
    const load = new PostLoad(platform.task.url, builders, platform.apps);
    load.start(POST_EVERY_MS);
    // Builds in flight (each waits on Argo for 1.5 s) before the signal.
    await new Promise((resolve) => setTimeout(resolve, 2 * ARGO_LATENCY_MS));
    [task, monitoring] = await Promise.all([terminate(platform.task), terminate(platform.monitoring)]);
    load.stop();
    outcomes = await load.settled();
    // The figures the README quotes.
    const count = (test: (o: PostOutcome) => boolean): number => outcomes.filter(test).length;
    const seconds = (s: Stopped): string => ((s.exit.at - s.signalledAt) / 1000).toFixed(1);
    console.log(
      `graceful shutdown: ${STREAMS} streams; ${outcomes.length} builds: ${count((o) => o.status === 202)} accepted ` +
        `(${count((o) => o.status === 202 && o.sentAt < task.signalledAt)} before the signal), ` +
        `${count((o) => o.status === 503)} 503 SHUTTING_DOWN, ${count((o) => o.error === 'ECONNREFUSED')} refused connections; ` +
        `exit after ${seconds(task)} s (task), ${seconds(monitoring)} s (monitoring)`,
    );
  }, 180_000);
  afterAll(() => platform?.stop());

  it.each(['task', 'monitoring'] as const)(
    '%s: readiness answers 503 from the signal on, until the listener closes',
    (name) => {
      const { probes, signalledAt } = name === 'task' ? task : monitoring;
      // A probe sent in the same moment as the signal may still have been answered 200.
      const after = probes.filter((p) => p.at > signalledAt + 100);
      expect(story(after)).toEqual(['503', 'ECONNREFUSED']);
    },
  );

  it.each(['task', 'monitoring'] as const)(
    '%s: exits 0 within the grace period of its Deployment',
    (name) => {
      const { exit, signalledAt } = name === 'task' ? task : monitoring;
      const grace = deployGrace(name);
      expect(grace.preStop).toBe(false);
      expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
      expect(exit.at - signalledAt).toBeLessThan(grace.gracePeriodMs);
    },
  );

  it('every one of the 500 streams gets the closing `shutdown` event, then its end', () => {
    expect(streams).toHaveLength(STREAMS);
    const last = streams.map((s) => `${s.events.at(-1) ?? 'none'} ${s.endedBy ?? 'open'}`);
    expect(new Set(last)).toEqual(new Set(['shutdown end']));
  });

  it('every build gets an answer: 202, or 503 SHUTTING_DOWN with Retry-After, or a refused connection (never accepted)', () => {
    const kinds = outcomes.map((o) =>
      o.status === 202 && o.taskId !== undefined
        ? 'accepted'
        : o.status === 503 && o.code === 'SHUTTING_DOWN' && o.retryAfter !== undefined
          ? 'refused 503'
          : o.error === 'ECONNREFUSED'
            ? 'not connected'
            : `lost: ${o.status} ${o.code ?? ''} ${o.error ?? ''}`,
    );
    expect(kinds.filter((k) => k.startsWith('lost'))).toEqual([]);
    // Some were in flight at the signal, some were sent while draining: both were served.
    const accepted = outcomes.filter((o) => o.status === 202);
    expect(accepted.some((o) => o.sentAt < task.signalledAt)).toBe(true);
    expect(accepted.some((o) => o.sentAt > task.signalledAt + 1000)).toBe(true);
  });

  it('no accepted build is lost: each 202 names a workflow that exists', () => {
    const { ctx } = platform.sandbox;
    const accepted = outcomes.filter((o) => o.status === 202);
    const missing = accepted.filter(
      (o) => ctx.store.get(Kinds.Workflow, ctx.config.argoNamespace, o.taskId ?? '') === undefined,
    );
    expect(missing).toEqual([]);
  });
});
