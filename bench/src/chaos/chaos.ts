import { podMemory, type PlatformServiceName } from '../lib/pod-memory';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Api, sleep, type Caller } from './api';
import { loadList } from './app-view';
import { FaultPlan } from './fault-plan';
import { Recorder } from './recorder';
import { runSchedule, type ScheduleEvents } from './schedule';
import { LEASE, startStack, type Stack } from './stack';
import { TeamLoad } from './team-load';
import type { Truth } from './truth';
import { countDuplicates, movingApps, summaryDifferences, watcherDifferences } from './verdict';
import { StatusWatcher, SummaryWatcher, type Watcher } from './watchers';
import type { ChaosFigures } from './figures';

export interface ChaosOptions {
  seconds: number;
  teams: string[];
  seededApps: number;
  /** How long after the faults stop the services are compared with the truth. */
  settleSeconds: number;
}

const STATUS_STREAMS_PER_TEAM = 3;
const ACTIVE = new Set(['Pending', 'Running']);

/**
 * The chaos soak: the whole stack as real processes against the sandbox, the teams' load and the
 * faults for `seconds`, then the faults stop and, `settleSeconds` later, what the services and
 * the portal's streams show is compared with the sandbox's store.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'platform-chaos-'));
  console.log(
    `chaos soak: ${options.seconds} s, ${options.teams.length} teams, ${options.seededApps} seeded apps; logs in ${logDir}`,
  );
  const stack = await startStack(
    { teams: options.teams, seededApps: options.seededApps, lease: LEASE },
    logDir,
  );
  try {
    return await soak(stack, options, logDir);
  } finally {
    await stack.stop();
  }
}

async function soak(stack: Stack, options: ChaosOptions, logDir: string): Promise<ChaosFigures> {
  const { adminUrl } = stack.sandbox.hello;
  const recorder = new Recorder();
  const api = new Api(recorder);
  const admin = { token: await signIn(adminUrl, 'chaos-admin', [], ['platform-admins']) };
  const callers: Caller[] = [];
  for (const team of options.teams) {
    callers.push({ sub: `dev-${team}`, team, token: await signIn(adminUrl, `dev-${team}`, [team], []) });
  }
  let turn = 0;
  const summaryUrl = (): string => {
    const up = stack.summaries.filter((r) => r.ready);
    turn += 1;
    return (up[turn % Math.max(1, up.length)] ?? stack.summaries[0])?.url ?? '';
  };
  await waitForList(api, admin, summaryUrl, options.seededApps);
  const before = await stack.sandbox.truth();
  const baseline = new Set(before.workflows.map((w) => w.name));
  for (const [app, t] of Object.entries(before.apps)) recorder.own(app, t.team);
  const tags = await seededTags(adminUrl);

  const watchers: Watcher[] = [];
  for (const caller of callers) {
    for (const replica of stack.summaries) {
      watchers.push(
        new SummaryWatcher(
          api,
          recorder,
          caller,
          () => (replica.ready ? replica.url : summaryUrl()),
          replica.name,
        ),
      );
    }
    for (const app of appsOf(before, caller.team).slice(0, STATUS_STREAMS_PER_TEAM)) {
      watchers.push(new StatusWatcher(recorder, caller, stack.monitoring.url, app));
    }
  }
  const created: Record<string, string> = {};
  const loads = callers.map(
    (caller) =>
      new TeamLoad(
        api,
        recorder,
        caller,
        { task: stack.task.url, monitoring: stack.monitoring.url, summary: summaryUrl },
        { apps: appsOf(before, caller.team), tags },
        () => [
          ...Object.entries(before.apps)
            .filter(([, t]) => t.team !== caller.team)
            .map(([app]) => app),
          ...Object.entries(created)
            .filter(([, team]) => team !== caller.team)
            .map(([app]) => app),
        ],
        (app) => {
          created[app] = caller.team;
          watchers.push(new StatusWatcher(recorder, caller, stack.monitoring.url, app));
        },
        { churnEveryMs: 2500, readEveryMs: 250, probeEveryMs: 2000, cyclesPerApp: 2 },
      ),
  );
  console.log('each team creates its first app (no faults yet)');
  await Promise.all(loads.map((l) => l.prepare()));
  await sleep(3000);
  const rssBefore = await memory(stack);

  console.log('load and faults on');
  const startedAt = Date.now();
  const faults = new FaultPlan(adminUrl);
  const events: ScheduleEvents = { redisRestarts: 0, leaderKills: 0, leaderTakeoverSeconds: undefined };
  for (const load of loads) load.start();
  await Promise.all([runSchedule(options.seconds, stack, faults, events), sleep(options.seconds * 1000)]);
  await Promise.all(loads.map((l) => l.stop()));
  const loadSeconds = (Date.now() - startedAt) / 1000;

  console.log('load stopped; waiting for the workflows in flight, faults still on');
  const quietAfter = await waitForQuiet(stack, baseline);
  await faults.clear();
  console.log(`faults off; comparing in ${options.settleSeconds} s`);
  await sleep(options.settleSeconds * 1000);

  const truthA = await stack.sandbox.truth();
  const lists = await Promise.all(stack.summaries.map((r) => loadList(api, admin, () => r.url)));
  const truthB = await stack.sandbox.truth();
  const moving = movingApps(truthA, truthB);
  const summaries = summaryDifferences(lists, truthB, moving);
  const sse = watcherDifferences(watchers, truthB, moving);
  for (const w of watchers) w.close();
  const duplicates = countDuplicates(api.submissions, baseline, truthB);
  const rssAfter = await memory(stack);

  const pipelines = loads.reduce(
    (sum, l) => ({
      created: sum.created + l.pipelines.created,
      built: sum.built + l.pipelines.built,
      deployed: sum.deployed + l.pipelines.deployed,
      failed: sum.failed + l.pipelines.failed,
      retried: sum.retried + l.pipelines.retried,
    }),
    { created: 0, built: 0, deployed: 0, failed: 0, retried: 0 },
  );
  const newWorkflows = truthB.workflows.filter((w) => !baseline.has(w.name));
  return {
    seconds: options.seconds,
    loadSeconds,
    quietAfterSeconds: quietAfter,
    teams: options.teams.length,
    apps: Object.keys(truthB.apps).length,
    seededApps: options.seededApps,
    requests: recorder.requests,
    statusMix: recorder.statusMix(),
    unexpected5xx: recorder.unexpected5xx,
    submissions: api.submissions.length,
    accepted: api.submissions.filter((s) => s.taskId !== undefined).length,
    workflows: newWorkflows.length,
    workflowPhases: countBy(newWorkflows.map((w) => w.phase)),
    failures: Object.entries(
      countBy(
        newWorkflows
          .filter((w) => w.error !== null)
          // Seeded apps have no repositories: their builds and deploys fail at the clone, as
          // expected; the apps the teams create are the interesting ones.
          .map(
            (w) => `${w.app.includes('-soak-') ? 'new' : 'seeded'} app: ${w.type} ${failure(w.error ?? '')}`,
          ),
      ),
    )
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([reason, count]) => ({ reason, count })),
    noAnswer: Object.fromEntries(recorder.noAnswer),
    refusals: Object.fromEntries(recorder.refusals),
    pipelines,
    duplicates: duplicates.duplicates,
    lostAccepted: duplicates.lostAccepted,
    duplicateDetails: duplicates.details,
    comparedApps: Object.keys(truthB.apps).length - moving.size,
    movingApps: moving.size,
    differingSummaries: summaries,
    sseClients: watchers.length,
    differingSseClients: sse,
    restarts: stack.replicas.reduce((n, r) => n + r.restarts, 0),
    crashes: stack.replicas.flatMap((r) => r.crashes),
    memory: Object.fromEntries(
      Object.keys(rssAfter).map((name) => [
        name,
        { beforeMiB: rssBefore[name] ?? null, afterMiB: rssAfter[name] ?? null },
      ]),
    ),
    peaks: peaks(stack),
    leakChecks: recorder.leakChecks,
    leaks: recorder.leaks,
    faults: faults.log,
    redisRestarts: events.redisRestarts,
    leaderKills: events.leaderKills,
    leaderTakeoverSeconds: events.leaderTakeoverSeconds ?? null,
    logDir,
  };
}

/** A failure's reason without what differs from app to app (names, ports, times), so alike ones count together. */
function failure(reason: string): string {
  return reason
    .replace(/\b(app-\d{5}|[a-z]+-soak-\d+)\b/g, '<app>')
    .replace(/127\.0\.0\.1:\d+/g, '<host>')
    .replace(/,?"time":"[^"]*"/g, '')
    .slice(0, 200);
}

function appsOf(truth: Truth, team: string): string[] {
  return Object.entries(truth.apps)
    .filter(([, t]) => t.team === team)
    .map(([app]) => app)
    .sort();
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Resident memory in MiB of every process, the sandbox's included. */
async function memory(stack: Stack): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of stack.replicas) {
    const rss = r.rssBytes();
    if (rss !== undefined) out[r.name] = Math.round(rss / 2 ** 20);
  }
  out.sandbox = Math.round((await stack.sandbox.rssBytes()) / 2 ** 20);
  return out;
}

/** Each replica's highest RSS over the run, against the limit deploy/base gives its pod. */
function peaks(stack: Stack): ChaosFigures['peaks'] {
  return stack.replicas.map((r) => {
    const service = r.name.replace(/-[a-z]$/, '') as PlatformServiceName;
    return {
      replica: r.name,
      peakMiB: Math.ceil(r.peakRssBytes() / 2 ** 20),
      baseLimitMiB: Math.round((podMemory(service, 'base').limitBytes ?? 0) / 2 ** 20),
    };
  });
}

/** Until no workflow of the run is Pending or Running (at most 3 minutes); returns the seconds waited. */
async function waitForQuiet(stack: Stack, baseline: ReadonlySet<string>): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < 180; i += 1) {
    const truth = await stack.sandbox.truth();
    if (!truth.workflows.some((w) => !baseline.has(w.name) && ACTIVE.has(w.phase))) break;
    await sleep(1000);
  }
  return Math.round((Date.now() - started) / 1000);
}

/** Until the summary lists every seeded app (the leader's first resync). */
async function waitForList(
  api: Api,
  admin: { token: string },
  summaryUrl: () => string,
  apps: number,
): Promise<void> {
  for (let i = 0; i < 120; i += 1) {
    const list = await loadList(api, admin, summaryUrl);
    if (list !== undefined && list.size >= apps) return;
    await sleep(500);
  }
  throw new Error(`the summary service did not list the ${apps} seeded apps within a minute`);
}

async function signIn(adminUrl: string, sub: string, teams: string[], groups: string[]): Promise<string> {
  const res = await fetch(`${adminUrl}/admin/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub, teams, groups, ttlSeconds: 6 * 3600 }),
  });
  if (!res.ok) throw new Error(`sign-in of ${sub}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** The tag of each seeded app's image, from the sandbox's registry. */
async function seededTags(adminUrl: string): Promise<Map<string, string>> {
  const res = await fetch(`${adminUrl}/admin/registry`);
  const { images } = (await res.json()) as { images: Array<{ repository: string; tag: string }> };
  return new Map(images.map((i) => [i.repository.slice(i.repository.lastIndexOf('/') + 1), i.tag]));
}
