import path from 'node:path';
import { percentile, sortNumbers } from '../lib/stats';
import { printTable } from '../lib/table';
import { FanoutClients } from './fanout-clients';
import { fitColumns, recordPeak } from '../lib/pod-memory';
import { forkServer, type ForkedServer } from './forked-server';
import { startMonitoring } from './monitoring-service';
import type { SandboxHello } from './sandbox-hello';

interface RunFigures {
  deliveries: number;
  expected: number;
  deliveriesPerSec: number;
  p50: number;
  p99: number;
  rssPerClientKiB: number;
  heapPerClientKiB: number;
}

const int = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

/** Sizes: the 2,000 clients over 200 apps at 1,000 events/s; smaller via environment. */
const SIZE = {
  clients: int('MONITORING_BENCH_CLIENTS', 2000),
  apps: int('MONITORING_BENCH_APPS', 200),
  teams: int('MONITORING_BENCH_TEAMS', 20),
  perSecond: int('MONITORING_BENCH_EVENTS_PER_SEC', 1000),
  seconds: int('MONITORING_BENCH_SECONDS', 10),
  cycles: int('MONITORING_BENCH_CYCLES', 10),
};
const GRACE_MS = 500;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The monitoring service's fan-out: SSE clients spread over apps, watching each app's Kubernetes
 * events while the sandbox creates events at a steady rate; against a raw Node `http` SSE
 * broadcaster fed by the same sandbox and measured in the same run (the limit). Prints delivery
 * latency, deliveries/s, memory per idle client, upstream watches, and heap after connect/disconnect
 * cycles. Targets (issue #6): p99 < 50 ms, deliveries/s >= 0.5x raw, memory per idle client <= 2x
 * raw, heap back within 10% after 10 cycles.
 */
export async function monitoringFanoutBench(): Promise<void> {
  console.log(
    `\nmonitoring-fanout: ${SIZE.clients} clients over ${SIZE.apps} apps (${SIZE.teams} namespaces), ` +
      `${SIZE.perSecond} events/s for ${SIZE.seconds} s`,
  );
  const sandbox = await forkServer<SandboxHello>(
    path.join(__dirname, 'fanout-sandbox.js'),
    [String(SIZE.apps), String(SIZE.teams)],
    (m) => m.port !== undefined,
  );
  const stopping: Array<() => Promise<void>> = [() => sandbox.stop()];
  try {
    const apps = sandbox.hello.apps;
    const raw = await forkServer<{ port: number }>(
      path.join(__dirname, 'raw-broadcaster.js'),
      [sandbox.hello.urls.kube, sandbox.hello.kubeToken, sandbox.hello.caFile],
      (m) => m.port !== undefined,
    );
    stopping.push(() => raw.stop());
    const rawFigures = await measure(
      sandbox,
      raw,
      apps,
      (app) => `http://127.0.0.1:${raw.hello.port}/apps/${app}/events`,
      false,
    );
    await raw.stop();

    const monitoring = await startMonitoring(sandbox.hello, GRACE_MS);
    const service = monitoring.server;
    stopping.push(() => service.stop());
    const url = (app: string): string =>
      `${monitoring.base}/monitoring/v1/apps/${app}/events?access_token=${monitoring.token}`;
    let watchesDuring = { argocd: 0, kubeWatches: 0 };
    const serviceFigures = await measure(sandbox, service, apps, url, true, async () => {
      watchesDuring = await streams(sandbox);
    });
    await sleep(GRACE_MS + 1500);
    const watchesAfter = await streams(sandbox);

    const heapStart = (await service.memory()).heapUsed;
    for (let cycle = 0; cycle < SIZE.cycles; cycle += 1) {
      const clients = new FanoutClients();
      await openAll(clients, urlsFor(apps, url));
      await until(() => clients.snapshots >= SIZE.clients);
      clients.close();
      await sleep(GRACE_MS + 300);
    }
    await sleep(1000);
    const heapEnd = (await service.memory()).heapUsed;

    const ratio = (a: number, b: number): string => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
    printTable(
      `Monitoring fan-out (targets: p99 < 50 ms, deliveries/s >= 0.5x raw, memory/idle client <= 2x raw)`,
      [
        row('raw Node http broadcaster (limit)', rawFigures),
        row('monitoring service', serviceFigures),
        {
          run: 'service / raw',
          'delivered/expected': '',
          'deliveries/s': ratio(serviceFigures.deliveriesPerSec, rawFigures.deliveriesPerSec),
          'p50 ms': '',
          'p99 ms': '',
          'RSS KiB/idle client': ratio(serviceFigures.rssPerClientKiB, rawFigures.rssPerClientKiB),
          'heap KiB/idle client': ratio(serviceFigures.heapPerClientKiB, rawFigures.heapPerClientKiB),
        },
      ],
    );
    printTable('Monitoring upstream watches and heap', [
      {
        'argocd streams (during)': watchesDuring.argocd,
        'kube watches (during)': watchesDuring.kubeWatches,
        'argocd + kube (after leave)': watchesAfter.argocd + watchesAfter.kubeWatches,
        [`heap MiB start → after ${SIZE.cycles} cycles`]: `${mib(heapStart)} → ${mib(heapEnd)} (${(((heapEnd - heapStart) / heapStart) * 100).toFixed(1)}%)`,
      },
    ]);
    const peak = monitoring.peak.stop();
    printTable('Monitoring memory against its pod limits (target: limit >= peak + 30 %)', [
      {
        process: 'monitoring, its start (modules, Nest)',
        ...fitColumns('monitoring', monitoring.startupPeakBytes, ['base', 'overlays/prod']),
      },
      {
        process: `monitoring, ${SIZE.clients} event streams, ${SIZE.perSecond} events/s`,
        ...fitColumns('monitoring', peak, ['base', 'overlays/prod']),
      },
    ]);
    // Only the full size is a figure the pod's limit must hold.
    if (SIZE.clients >= 2000 && SIZE.perSecond >= 1000) {
      recordPeak('monitoring/2000-event-streams', {
        service: 'monitoring',
        scenario: '2,000 event streams of 200 apps at 1,000 events/s',
        peakRssMiB: Math.ceil(Math.max(peak, monitoring.startupPeakBytes) / 2 ** 20),
        mustFit: ['base', 'overlays/dev', 'overlays/prod'],
        benchmark: 'monitoring-fanout',
      });
    }
  } finally {
    for (const stop of stopping.reverse()) await stop();
  }
}

async function measure(
  sandbox: ForkedServer<SandboxHello>,
  server: ForkedServer<{ port: number }>,
  apps: string[],
  url: (app: string) => string,
  hasSnapshots: boolean,
  whileRunning?: () => Promise<void>,
): Promise<RunFigures> {
  await sleep(500);
  const before = await server.memory();
  const clients = new FanoutClients();
  await openAll(clients, urlsFor(apps, url));
  if (hasSnapshots) await until(() => clients.snapshots >= SIZE.clients);
  await sleep(1000);
  const idle = await server.memory();
  clients.resetCounts();
  sandbox.child.send({ emit: { perSecond: SIZE.perSecond, seconds: SIZE.seconds } });
  const { emitted, ms } = await sandbox.next<{ emitted?: number; ms?: number }>(
    (m) => m.emitted !== undefined,
  );
  await whileRunning?.();
  await sleep(2000);
  const latencies = sortNumbers(clients.latenciesMs);
  const perApp = SIZE.clients / apps.length;
  clients.close();
  return {
    deliveries: clients.deliveries,
    expected: Math.round((emitted ?? 0) * perApp),
    deliveriesPerSec: clients.deliveries / ((ms ?? 1) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rssPerClientKiB: (idle.rss - before.rss) / SIZE.clients / 1024,
    heapPerClientKiB:
      (idle.heapUsed + idle.external - before.heapUsed - before.external) / SIZE.clients / 1024,
  };
}

function urlsFor(apps: string[], url: (app: string) => string): string[] {
  return Array.from({ length: SIZE.clients }, (_, i) => url(apps[i % apps.length] ?? ''));
}

/** Connects in batches, as browsers arriving over a moment would, not all in one instant. */
async function openAll(clients: FanoutClients, urls: string[]): Promise<void> {
  for (let i = 0; i < urls.length; i += 100) await clients.open(urls.slice(i, i + 100));
}

async function streams(
  sandbox: ForkedServer<SandboxHello>,
): Promise<{ argocd: number; kubeWatches: number }> {
  sandbox.child.send({ streams: true });
  const { streams: counts } = await sandbox.next<{ streams?: { argocd: number; kubeWatches: number } }>(
    (m) => m.streams !== undefined,
  );
  return counts ?? { argocd: 0, kubeWatches: 0 };
}

async function until(condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the clients');
    await sleep(50);
  }
}

function row(run: string, f: RunFigures): Record<string, string | number> {
  return {
    run,
    'delivered/expected': `${f.deliveries}/${f.expected}`,
    'deliveries/s': Math.round(f.deliveriesPerSec),
    'p50 ms': f.p50,
    'p99 ms': f.p99,
    'RSS KiB/idle client': f.rssPerClientKiB.toFixed(1),
    'heap KiB/idle client': f.heapPerClientKiB.toFixed(1),
  };
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
