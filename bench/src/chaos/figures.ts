import { printTable } from '../lib/table';
import type { Finding } from './recorder';

/** What a soak measured (also written as JSON with `--json <file>`). */
export interface ChaosFigures {
  seconds: number;
  loadSeconds: number;
  quietAfterSeconds: number;
  teams: number;
  apps: number;
  seededApps: number;
  requests: number;
  statusMix: string;
  unexpected5xx: Finding[];
  submissions: number;
  accepted: number;
  workflows: number;
  workflowPhases: Record<string, number>;
  /** The most frequent reasons the run's workflows failed, with their counts. */
  failures: Array<{ reason: string; count: number }>;
  /** 4xx and 5xx answers by status, error code and route. */
  refusals: Record<string, number>;
  /** Requests that got no answer, by route. */
  noAnswer: Record<string, number>;
  pipelines: { created: number; built: number; deployed: number; failed: number; retried: number };
  duplicates: number;
  lostAccepted: number;
  duplicateDetails: string[];
  comparedApps: number;
  movingApps: number;
  differingSummaries: string[];
  sseClients: number;
  differingSseClients: Array<{ watcher: string; apps: string[] }>;
  restarts: number;
  crashes: string[];
  memory: Record<string, { beforeMiB: number | null; afterMiB: number | null }>;
  /** Each replica's highest RSS over the run, and the memory limit deploy/base gives its pod. */
  peaks: Array<{ replica: string; peakMiB: number; baseLimitMiB: number }>;
  leakChecks: number;
  leaks: Finding[];
  faults: string[];
  redisRestarts: number;
  leaderKills: number;
  leaderTakeoverSeconds: number | null;
  logDir: string;
}

/** The targets of issue #16; each missed one is a line. */
export function missedTargets(f: ChaosFigures): string[] {
  const missed: string[] = [];
  const check = (ok: boolean, line: string): void => {
    if (!ok) missed.push(line);
  };
  check(f.unexpected5xx.length === 0, `${f.unexpected5xx.length} 5xx other than 502/503/504`);
  check(f.duplicates === 0, `${f.duplicates} duplicate workflows`);
  check(f.lostAccepted === 0, `${f.lostAccepted} accepted requests without a workflow`);
  check(f.differingSummaries.length === 0, `${f.differingSummaries.length} summaries differ from the truth`);
  check(
    f.differingSseClients.length === 0,
    `${f.differingSseClients.length} SSE clients differ from the truth`,
  );
  check(f.restarts === 0, `${f.restarts} process restarts`);
  check(f.leaks.length === 0, `${f.leaks.length} cross-team leaks`);
  // A soak whose faults or load did not happen proves nothing.
  check(f.redisRestarts === 1 && f.leaderKills === 1, 'the Redis restart or the leader kill did not happen');
  check(f.accepted > 0 && f.pipelines.built > 0, 'no change was accepted or no created app was built');
  check(f.comparedApps >= f.seededApps, `only ${f.comparedApps} apps could be compared with the truth`);
  return missed;
}

export function printFigures(f: ChaosFigures): void {
  const memory = Object.entries(f.memory)
    .map(([name, m]) => `${name} ${m.beforeMiB ?? '-'} → ${m.afterMiB ?? '-'}`)
    .join(', ');
  const phases = Object.entries(f.workflowPhases)
    .map(([phase, n]) => `${n} ${phase}`)
    .join(', ');
  printTable(`Chaos soak: ${f.seconds} s of load and faults, ${f.teams} teams, ${f.apps} apps`, [
    { figure: 'requests (status mix)', result: `${f.requests} (${f.statusMix})`, target: '-' },
    { figure: '5xx other than 502/503/504', result: f.unexpected5xx.length, target: 0 },
    {
      figure: 'changes (create, build, deploy)',
      result: `${f.submissions} sent, ${f.accepted} accepted; ${f.workflows} workflows (${phases}); new apps: ${f.pipelines.created} created, ${f.pipelines.built} built, ${f.pipelines.deployed} deployed (${f.pipelines.retried} failed tasks retried, ${f.pipelines.failed} given up)`,
      target: '-',
    },
    { figure: 'duplicate workflows', result: f.duplicates, target: 0 },
    { figure: 'accepted changes without a workflow', result: f.lostAccepted, target: 0 },
    {
      figure: 'summaries differing from the truth 5 s after the faults stop',
      result: `${f.differingSummaries.length} of ${f.comparedApps} (${f.movingApps} still moving, not compared)`,
      target: 0,
    },
    {
      figure: 'SSE clients whose last state differs from the truth',
      result: `${f.differingSseClients.length} of ${f.sseClients}`,
      target: 0,
    },
    { figure: 'process restarts', result: f.restarts, target: 0 },
    { figure: 'memory (RSS MiB, load start → end)', result: memory, target: '-' },
    {
      figure: 'peak RSS MiB of the base pod limit',
      result: f.peaks.map((p) => `${p.replica} ${p.peakMiB} of ${p.baseLimitMiB}`).join(', '),
      target: 'limit ≥ peak + 30 %',
    },
    {
      figure: 'cross-team leaks',
      result: `${f.leaks.length} in ${f.leakChecks} answers and events`,
      target: 0,
    },
    {
      figure: 'summary leader kill → new leader',
      result:
        f.leaderTakeoverSeconds === null ? 'no takeover seen' : `${f.leaderTakeoverSeconds.toFixed(1)} s`,
      target: '-',
    },
  ]);
  const injected = new Map<string, number>();
  for (const fault of f.faults) injected.set(fault, (injected.get(fault) ?? 0) + 1);
  const faults = [...injected].map(([fault, n]) => (n === 1 ? fault : `${fault} (x${n})`));
  console.log(`\nfaults: ${faults.join('; ')}`);
  const unanswered = Object.entries(f.noAnswer).map(([route, n]) => `${route} ${n}`);
  if (unanswered.length > 0) console.log(`no answer: ${unanswered.join(', ')}`);
  const refused = Object.entries(f.refusals).sort((a, b) => b[1] - a[1]);
  console.log(`errors: ${refused.map(([what, n]) => `${what} x${n}`).join(', ')}`);
  for (const { reason, count } of f.failures) console.log(`  failed x${count}: ${reason}`);
  const details = [
    ...f.unexpected5xx.map((x) => `5xx: ${x.what} ${x.detail}`),
    ...f.duplicateDetails,
    ...f.differingSummaries.slice(0, 10).map((d) => `summary: ${d}`),
    ...f.differingSseClients.slice(0, 10).map((d) => `${d.watcher}: ${d.apps.slice(0, 3).join('; ')}`),
    ...f.crashes.map((c) => `crash: ${c}`),
    ...f.leaks.slice(0, 10).map((l) => `leak: ${l.what} (${l.detail})`),
  ];
  for (const line of details) console.log(`  ${line}`);
}
