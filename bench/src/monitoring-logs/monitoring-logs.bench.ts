import { Labels } from '@platform/domain';
import path from 'node:path';
import { fitColumns, recordPeak } from '../lib/pod-memory';
import { percentile, sortNumbers } from '../lib/stats';
import { printTable } from '../lib/table';
import { FanoutClients } from '../monitoring/fanout-clients';
import { forkServer, type ForkedServer } from '../monitoring/forked-server';
import { startMonitoring } from '../monitoring/monitoring-service';
import type { LogCommand, LogsSandboxHello } from './log-protocol';
import { LogViewers } from './log-viewers';

const int = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

/** Sizes: the 50 pods at 20 lines/s, 100 + 10 viewers, 2,000 status streams; smaller via environment. */
const SIZE = {
  pods: int('LOGS_BENCH_PODS', 50),
  linesPerSec: int('LOGS_BENCH_LINES_PER_SEC', 20),
  viewers: int('LOGS_BENCH_VIEWERS', 100),
  variants: int('LOGS_BENCH_VARIANT_VIEWERS', 10),
  seconds: int('LOGS_BENCH_SECONDS', 10),
  statusStreams: int('LOGS_BENCH_STATUS_STREAMS', 2000),
  statusApps: int('LOGS_BENCH_STATUS_APPS', 200),
};
const GRACE_MS = 500;
const MIB = 2 ** 20;
const RECORD_KEY = 'monitoring/2000-streams-100-log-followers';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface LogFigures {
  expected: number;
  lost: number;
  duplicated: number;
  p50: number;
  p99: number;
  follows: number;
  kibPerViewer: number;
}

type Sandbox = ForkedServer<LogsSandboxHello>;

/**
 * The monitoring service's merged pod logs at scale: one app whose pods write lines steadily,
 * viewed through its SSE endpoint by plain viewers and by `container=`/`since=` ones; against
 * client-node's Log following the same pods with a bare `node:http` broadcaster (the limit),
 * measured in the same run. Then the memory scenario: the plain viewers still there plus
 * thousands of open status streams, the service's peak RSS held against its pod limits.
 */
export async function monitoringLogsBench(): Promise<void> {
  console.log(
    `\nmonitoring-logs: ${SIZE.pods} pods × ${SIZE.linesPerSec} lines/s, ${SIZE.viewers} + ${SIZE.variants} viewers ` +
      `for ${SIZE.seconds} s; then ${SIZE.statusStreams} status streams over ${SIZE.statusApps} apps`,
  );
  const sandbox = await forkServer<LogsSandboxHello>(
    path.join(__dirname, 'logs-sandbox.js'),
    [String(SIZE.pods), String(SIZE.statusApps)],
    (m) => m.port !== undefined,
  );
  const stopping: Array<() => Promise<void>> = [() => sandbox.stop()];
  try {
    const hello = sandbox.hello;
    const app = hello.apps[0] ?? '';
    const container = hello.pods[0]?.container ?? '';
    // History for the viewers' snapshots; then lines flow only while a run is measured.
    command(sandbox, { write: { perSecond: SIZE.linesPerSec } });
    await sleep(2000);
    command(sandbox, { stopWriting: true });

    const raw = await forkServer<{ port: number }>(
      path.join(__dirname, 'raw-log-server.js'),
      [hello.kubeconfigPath, hello.namespace, `${Labels.app}=${app}`],
      (m) => m.port !== undefined,
    );
    stopping.push(() => raw.stop());
    const rawBase = `http://127.0.0.1:${raw.hello.port}/logs`;
    const rawRun = await measure(sandbox, raw, {
      plain: rawBase,
      variant: (i) => (i % 2 === 0 ? `${rawBase}?container=${container}` : rawBase),
      snapshots: false,
    });
    rawRun.plain.close();
    rawRun.variants.close();
    await raw.stop();

    const monitoring = await startMonitoring(hello, GRACE_MS);
    stopping.push(() => monitoring.server.stop());
    const logsUrl = (query: string): string =>
      `${monitoring.base}/monitoring/v1/apps/${app}/logs?${query}access_token=${monitoring.token}`;
    const serviceRun = await measure(sandbox, monitoring.server, {
      plain: logsUrl(''),
      variant: (i) => logsUrl(i % 2 === 0 ? `container=${container}&` : 'since=60&'),
      snapshots: true,
    });
    serviceRun.variants.close();

    const ratio = (a: number, b: number): string => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
    printTable(
      `Monitoring merged logs (targets: 0 lost, 0 duplicated, one upstream follow per container: ${SIZE.pods})`,
      [
        row('client-node Log + bare node:http (limit)', rawRun.figures),
        row('monitoring service', serviceRun.figures),
        {
          run: 'service / limit',
          'lines to viewers': '',
          lost: '',
          duplicated: '',
          'p50 ms': '',
          'p99 ms': ratio(serviceRun.figures.p99, rawRun.figures.p99),
          'follows open': '',
          'KiB/viewer': ratio(serviceRun.figures.kibPerViewer, rawRun.figures.kibPerViewer),
        },
      ],
    );

    // The memory scenario: the plain viewers stay, thousands of status streams join.
    const status = new FanoutClients();
    const statusApps = hello.apps.slice(1);
    const urls = Array.from(
      { length: SIZE.statusStreams },
      (_, i) =>
        `${monitoring.base}/monitoring/v1/apps/${statusApps[i % statusApps.length] ?? app}/status/stream?access_token=${monitoring.token}`,
    );
    for (let i = 0; i < urls.length; i += 100) await status.open(urls.slice(i, i + 100));
    await until(() => status.snapshots >= SIZE.statusStreams);
    command(sandbox, { write: { perSecond: SIZE.linesPerSec } });
    const from = await mark(sandbox);
    await sleep(SIZE.seconds * 1000);
    const to = await mark(sandbox);
    command(sandbox, { stopWriting: true });
    await serviceRun.plain.settled();
    const combined = serviceRun.plain.audit(
      hello.pods.map((p) => p.pod),
      from,
      to,
    );
    const peak = monitoring.peak.stop();
    status.close();
    serviceRun.plain.close();

    const scenario = `${SIZE.statusStreams} status streams + ${SIZE.viewers} log viewers`;
    printTable('Monitoring memory against its pod limits (target: limit >= peak + 30 %)', [
      {
        process: 'monitoring, its start (modules, Nest)',
        ...fitColumns('monitoring', monitoring.startupPeakBytes, ['base', 'overlays/prod']),
      },
      {
        process: `monitoring, ${scenario} (${combined.lost} lines lost, ${combined.duplicated} duplicated meanwhile)`,
        ...fitColumns('monitoring', peak, ['base', 'overlays/prod']),
      },
    ]);
    if (SIZE.statusStreams >= 2000 && SIZE.viewers >= 100) {
      // The pod lives through both: its limit must hold the higher.
      recordPeak(RECORD_KEY, {
        service: 'monitoring',
        scenario: '2,000 open streams plus 100 followers of merged logs',
        peakRssMiB: Math.ceil(Math.max(peak, monitoring.startupPeakBytes) / MIB),
        mustFit: ['base', 'overlays/dev', 'overlays/prod'],
        benchmark: 'monitoring-logs',
      });
    }
  } finally {
    for (const stop of stopping.reverse()) await stop();
  }
}

/**
 * Opens the viewers (one first, so that what the others add is theirs, not the shared follows'),
 * then audits the lines written over SIZE.seconds: lost, duplicated, delay, upstream follows.
 */
async function measure(
  sandbox: Sandbox,
  server: ForkedServer<{ port: number }>,
  urls: { plain: string; variant: (i: number) => string; snapshots: boolean },
): Promise<{ figures: LogFigures; plain: LogViewers; variants: LogViewers }> {
  const plain = new LogViewers();
  const variants = new LogViewers();
  await plain.open([urls.plain]);
  if (urls.snapshots) await until(() => plain.snapshots >= 1);
  await sleep(1000);
  const one = await server.memory();
  for (let i = 1; i < SIZE.viewers; i += 50)
    await plain.open(Array.from({ length: Math.min(50, SIZE.viewers - i) }, () => urls.plain));
  await variants.open(Array.from({ length: SIZE.variants }, (_, i) => urls.variant(i)));
  if (urls.snapshots) await until(() => plain.snapshots + variants.snapshots >= SIZE.viewers + SIZE.variants);
  await sleep(1000);
  const all = await server.memory();

  plain.startRecording();
  variants.startRecording();
  command(sandbox, { write: { perSecond: SIZE.linesPerSec } });
  const from = await mark(sandbox);
  await sleep((SIZE.seconds * 1000) / 2);
  const follows = await followsOpen(sandbox);
  await sleep((SIZE.seconds * 1000) / 2);
  const to = await mark(sandbox);
  command(sandbox, { stopWriting: true });
  await Promise.all([plain.settled(), variants.settled()]);
  plain.stopRecording();
  variants.stopRecording();
  const pods = sandbox.hello.pods.map((p) => p.pod);
  const audits = [plain.audit(pods, from, to), variants.audit(pods, from, to)];
  const latencies = sortNumbers([...plain.latenciesMs, ...variants.latenciesMs]);
  return {
    plain,
    variants,
    figures: {
      expected: audits.reduce((sum, a) => sum + a.expected, 0),
      lost: audits.reduce((sum, a) => sum + a.lost, 0),
      duplicated: audits.reduce((sum, a) => sum + a.duplicated, 0),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      follows,
      kibPerViewer: (all.rss - one.rss) / (SIZE.viewers + SIZE.variants - 1) / 1024,
    },
  };
}

function command(sandbox: Sandbox, message: LogCommand): void {
  sandbox.child.send(message);
}

async function mark(sandbox: Sandbox): Promise<number[]> {
  command(sandbox, { mark: true });
  return (await sandbox.next<{ marked?: number[] }>((m) => m.marked !== undefined)).marked ?? [];
}

async function followsOpen(sandbox: Sandbox): Promise<number> {
  command(sandbox, { follows: true });
  return (await sandbox.next<{ follows?: number }>((m) => m.follows !== undefined)).follows ?? 0;
}

async function until(condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the viewers');
    await sleep(50);
  }
}

function row(run: string, f: LogFigures): Record<string, string | number> {
  return {
    run,
    'lines to viewers': f.expected,
    lost: f.lost,
    duplicated: f.duplicated,
    'p50 ms': f.p50,
    'p99 ms': f.p99,
    'follows open': f.follows,
    'KiB/viewer': f.kibPerViewer.toFixed(1),
  };
}
