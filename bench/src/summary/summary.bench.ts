import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { startChildServer } from '../lib/child-server';
import { atConstantRate, type RateResult } from '../lib/constant-rate';
import { percentile, round, sortNumbers } from '../lib/stats';
import { printTable } from '../lib/table';
import { startPrivateRedis, usedMemory } from './private-redis';
import { footprint } from './redis-footprint';
import { onRecords } from '../lib/split-stream';
import { BENCH_LIMITS_ENV } from '../lib/bench-limits';
import { kubeGetJson } from '../sandbox/kube-get';
import { fitColumns, heapGuardFlags, recordPeak, watchPeak, type DeployDir } from '../lib/pod-memory';

/** `SUMMARY_BENCH_APPS=2000 npm run bench -- summary` to run smaller than the 10,000-app target. */
const APPS = Number(process.env.SUMMARY_BENCH_APPS ?? 10_000);
// The service's default prefix: key lengths count in the memory per app.
const PREFIX = '{summary}:';
const RATE = 200;
const SECONDS = 8;
// Before each measured run, for every server alike: JIT compilation and, for a new leader, the first
// major GCs after its resync would otherwise count in the figure.
const WARMUP_SECONDS = 10;
// Between a saturating run and the steady-rate one, for every server alike: the steady rate measures
// serving 200 req/s, not the load generator and the server cleaning up after the run before it.
const SETTLE_MS = 2000;
const MIB = 2 ** 20;
const DIRS: readonly DeployDir[] = ['base', 'overlays/dev', 'overlays/prod'];
/**
 * The pod whose limit the leader runs under: prod for the 50,000-app run, base otherwise. The
 * container entrypoint (deploy/image/node-heap-guard.sh) sizes V8's heap from the cgroup memory
 * limit, so the bench spawns the service with the same flags for that pod's limit: it runs as it
 * would in its pod.
 */
const POD: DeployDir = APPS >= 50_000 ? 'overlays/prod' : 'base';
const HEAP_FLAGS = heapGuardFlags('summary', POD);

interface SandboxInfo {
  port: number;
  urls: { kube: string; argo: string; argocd: string; admin: string };
  kubeconfig: string;
  caFile: string;
  kubeToken: string;
  argoToken: string;
  argocdUsername: string;
  argocdPassword: string;
}

/**
 * The summary service against the ways a portal could do without it, all in one run over the
 * same seeded sandbox: (a) naive per-request list + join from the upstream APIs, (b) the
 * service's GET /summary/v1/apps?limit=50 (unfiltered, by team, by health, by search), (c) a
 * bare Node http server answering the same page from Redis in one round-trip. Then freshness
 * (upstream change → change published with the list) at 200 changes/s, the full resync time of a
 * new leader, and Redis memory per app. Redis is a private redis-server, removed at the end.
 */
export async function summaryBench(): Promise<void> {
  const redis = await startPrivateRedis();
  const sandboxServer = await startChildServer(
    path.join(__dirname, '..', 'sandbox', 'sandbox-process.js'),
    [],
  );
  const children: Array<{ stop(): Promise<void> }> = [sandboxServer];
  try {
    const info = sandboxServer.next<SandboxInfo>((m) => m.urls !== undefined);
    sandboxServer.child.send({ info: true });
    const sandbox = await info;
    // What the leader holds with no app at all, for the bytes each app adds.
    const emptyHeap = await emptyLeaderHeap(redis.url, sandbox);
    const seeded = await fetch(`${sandbox.urls.admin}/admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apps: APPS, teams: 10, podsPerApp: 1, workflowsPerApp: 2 }),
    });
    if (seeded.status !== 200) throw new Error(`seeding failed: ${await seeded.text()}`);
    console.log(`seeded ${APPS} apps`);
    const memoryBefore = await usedMemory(redis.redis);

    const port = await freePort();
    const started = performance.now();
    const service = startService(port, redis.url, sandbox, {});
    children.push(service);
    const peak = watchPeak(service.pid, 100);
    const base = `http://127.0.0.1:${port}`;
    const admin = await devToken(sandbox.urls.admin);
    const auth = { authorization: `Bearer ${admin}` };
    const stats = await waitFresh(base, auth);
    const resyncS = (performance.now() - started) / 1000;
    const peakResync = peak.peakBytes();
    await settle();
    const heapAfterResync = await heapUsed(`${base}/metrics`);
    const bytesPerApp = (await usedMemory(redis.redis)) - memoryBefore;
    const where = await footprint(redis.redis, PREFIX, APPS);
    const leaderMemory = await metricsMemory(`${base}/metrics`);

    const bare = await startChildServer(path.join(__dirname, 'bare-server.js'), [redis.url, PREFIX]);
    children.push(bare);
    const naive = await startChildServer(path.join(__dirname, 'naive-server.js'), [JSON.stringify(sandbox)]);
    children.push(naive);
    const bareBase = `http://127.0.0.1:${bare.port}`;

    const queries: Array<[string, string]> = [
      ['unfiltered', 'limit=50'],
      ['by team', 'limit=50&team=team-03'],
      ['by health', 'limit=50&health=Healthy'],
      ['by search', 'limit=50&q=app-004'],
    ];
    const rows: Array<Record<string, string | number>> = [];
    const bareMax: Record<string, number> = {};
    const serviceMax: Record<string, number> = {};
    for (const [name, query] of queries) {
      const bareRun = await load(`${bareBase}/apps?${query}`, {}, { connections: 32, duration: SECONDS });
      await settle();
      const bareRate = await atConstantRate(
        `${bareBase}/apps?${query}`,
        {},
        { rate: RATE, seconds: SECONDS },
      );
      bareMax[name] = bareRun.rps;
      rows.push(row('(c) bare node http + 1 Redis round-trip', name, bareRun, bareRate));
    }
    for (const [name, query] of queries) {
      const url = `${base}/summary/v1/apps?${query}`;
      const max = await load(url, auth, { connections: 32, duration: SECONDS });
      await settle();
      const rate = await atConstantRate(url, auth, { rate: RATE, seconds: SECONDS });
      serviceMax[name] = max.rps;
      rows.push({
        ...row('(b) summary service', name, max, rate),
        'vs (c)': `${round((max.rps / (bareMax[name] ?? 1)) * 100, 0)} %`,
      });
    }
    const freshness = await measureFreshness(base, admin, sandbox, Math.min(APPS, 2000));
    const leaderMemoryAfter = await metricsMemory(`${base}/metrics`);
    const peakAll = peak.stop();
    // Last: every naive request lists everything from the sandbox, which slows the sandbox's
    // other answers (the Lease renewals among them) for as long as it runs.
    const naiveRun = await timeSequential(`http://127.0.0.1:${naive.port}/apps`, 3);
    rows.unshift(row('(a) naive list + join per request', 'unfiltered', naiveRun, undefined));
    for (const r of rows)
      if (r.way === '(b) summary service')
        r['vs (a)'] = `${Math.round((serviceMax[String(r.query)] ?? 0) / Math.max(naiveRun.rps, 0.001))}x`;
    printTable(
      `Summary list, ${APPS} apps (targets: (b) p99 < 20 ms at ${RATE} req/s, max >= 50 % of (c), >= 100x (a))`,
      rows,
    );

    printTable(`Summary freshness and cost, ${APPS} apps (targets: p99 < 1 s, resync < 10 s, < 2 KB/app)`, [
      {
        'changes/s': RATE,
        changes: freshness.sent,
        seen: freshness.latencies.length,
        'freshness p50 ms': round(percentile(freshness.latencies, 50)),
        'freshness p99 ms': round(percentile(freshness.latencies, 99)),
        'resync s (lead to fresh)': stats.freshAfterMs === undefined ? '?' : round(stats.freshAfterMs / 1000),
        'of which write ms': stats.resyncMs ?? '?',
        's from process start': round(resyncS),
        'Redis bytes/app': Math.round(bytesPerApp / APPS),
        'of which record': `${where.recordBytes} (JSON ${where.recordChars} chars)`,
        'indexes etc.': where.otherBytes,
        'leader RSS / heap MiB after resync, after the loads': `${leaderMemory}, ${leaderMemoryAfter}`,
      },
    ]);
    const bytesPerLeaderApp = Math.round((heapAfterResync - emptyHeap) / APPS);
    printTable(
      `Summary leader memory, ${APPS} apps, ${HEAP_FLAGS.join(' ')} (the heap guard's for the ${POD} limit) ` +
        `(targets: peak <= 50 % of the base limit at 10,000 apps, within prod with 30 % headroom at 50,000; resync < 30 s)`,
      [
        { when: 'during the resync (to fresh)', ...fitColumns('summary', peakResync, DIRS) },
        { when: 'after the list loads', ...fitColumns('summary', peakAll, DIRS) },
      ],
    );
    printTable(`Summary leader per app, ${APPS} apps`, [
      {
        'heap MiB, 0 apps': round(emptyHeap / MIB, 1),
        'heap MiB after resync': round(heapAfterResync / MIB, 1),
        'leader bytes/app': bytesPerLeaderApp,
        'resync s (lead to fresh)': stats.freshAfterMs === undefined ? '?' : round(stats.freshAfterMs / 1000),
        's from process start': round(resyncS),
      },
    ]);
    recordLeaderPeak(peakAll);
    console.log(
      `Redis bytes/app besides the records: ${Object.entries(where.otherByKind)
        .map(([kind, bytes]) => `${kind} ${bytes}`)
        .join(', ')}`,
    );
  } finally {
    for (const child of children.reverse()) await child.stop();
    await redis.stop();
  }
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Mean response size (headers and body), bytes: shows when a page crosses a size that costs. */
  bytes?: number;
}

async function load(
  url: string,
  headers: Record<string, string>,
  options: { connections: number; duration: number },
): Promise<LoadResult> {
  // Warmed up first, each server alike: the figure is the steady state, not JIT compilation or
  // the service's first major GC after its resync.
  await autocannon({ url, headers, connections: options.connections, duration: WARMUP_SECONDS });
  const result = await autocannon({ url, headers, ...options });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    bytes: result.throughput.total / Math.max(result.requests.total, 1),
  };
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/**
 * The naive way takes seconds per request: a few requests one after another, timed end to end
 * (a load generator's fixed duration would end before the first one completes).
 */
async function timeSequential(url: string, count: number): Promise<LoadResult> {
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const res = await fetch(url);
    await res.text();
    if (res.status !== 200) errors += 1;
    times.push(performance.now() - started);
  }
  const sorted = sortNumbers(times);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return {
    rps: 1000 / mean,
    p50: round(percentile(sorted, 50), 0),
    p99: round(percentile(sorted, 99), 0),
    errors,
  };
}

function row(
  way: string,
  query: string,
  max: LoadResult,
  rate: RateResult | undefined,
): Record<string, string | number> {
  return {
    way,
    query,
    'max req/s': round(max.rps, max.rps < 10 ? 2 : 0),
    'p99 ms at max': max.p99,
    'KB/response': max.bytes === undefined ? '-' : round(max.bytes / 1024, 1),
    [`p50 ms @${RATE}/s`]: rate === undefined ? '-' : round(rate.p50),
    [`p99 ms @${RATE}/s`]: rate === undefined ? '-' : round(rate.p99),
    errors: max.errors + (rate?.errors ?? 0),
    'vs (c)': '-',
    'vs (a)': '-',
  };
}

/** The two runs the deploy/ limits are held to (tests/deploy reads bench/results/memory.json). */
function recordLeaderPeak(peakBytes: number): void {
  const peakRssMiB = Math.ceil(peakBytes / MIB);
  const scenario = `summary leader: resync and list loads, ${APPS.toLocaleString('en-US')} apps`;
  if (APPS === 10_000)
    recordPeak('summary/10000-apps', {
      service: 'summary',
      scenario,
      peakRssMiB,
      mustFit: ['base', 'overlays/dev', 'overlays/prod'],
      benchmark: 'summary',
    });
  if (APPS === 50_000)
    recordPeak('summary/50000-apps', {
      service: 'summary',
      scenario,
      peakRssMiB,
      mustFit: ['overlays/prod'],
      benchmark: 'summary',
    });
}

/**
 * The V8 heap of a leader that leads over no app: started before the seeding, with its own
 * lease and key prefix so that it leaves nothing for the measured run, and stopped once fresh.
 */
async function emptyLeaderHeap(redisUrl: string, sandbox: SandboxInfo): Promise<number> {
  const port = await freePort();
  const service = startService(port, redisUrl, sandbox, {
    lease: 'summary-bench-empty',
    prefix: '{summary-empty}:',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFresh(base, { authorization: `Bearer ${await devToken(sandbox.urls.admin)}` });
    await settle();
    return await heapUsed(`${base}/metrics`);
  } finally {
    await service.stop();
  }
}

function startService(
  port: number,
  redisUrl: string,
  sandbox: SandboxInfo,
  options: { lease?: string; prefix?: string },
): { pid: number; stop(): Promise<void> } {
  const main = path.join(path.dirname(require.resolve('@platform/summary/package.json')), 'dist', 'main.js');
  // SUMMARY_BENCH_LOG=<file> keeps the service's log lines (warnings and errors) for a look afterwards.
  const log =
    process.env.SUMMARY_BENCH_LOG === undefined ? 'ignore' : fs.openSync(process.env.SUMMARY_BENCH_LOG, 'w');
  // SUMMARY_BENCH_PROFILE=<dir> writes a V8 CPU profile of the service there (stopped with SIGTERM).
  const profile = process.env.SUMMARY_BENCH_PROFILE;
  // As the container entrypoint runs it: the heap sized from the pod's memory limit.
  const flags = [
    ...HEAP_FLAGS,
    ...(profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`]),
  ];
  const child: ChildProcess = spawn(process.execPath, [...flags, main], {
    stdio: ['ignore', log, log],
    env: {
      ...BENCH_LIMITS_ENV,
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.SUMMARY_BENCH_LOG === undefined ? 'warn' : 'info',
      REDIS_URL: redisUrl,
      AUTH_JWKS_URL: `${sandbox.urls.admin}/.well-known/jwks.json`,
      AUTH_ISSUER: sandbox.urls.admin,
      SUMMARY_KEY_PREFIX: options.prefix ?? PREFIX,
      // As an installation runs once every replica reads the form (a new one from the start).
      SUMMARY_SHARED_PARTS: 'true',
      ARGO_SERVER_URL: sandbox.urls.argo,
      ARGO_TOKEN: sandbox.argoToken,
      ARGOCD_SERVER_URL: sandbox.urls.argocd,
      ARGOCD_USERNAME: sandbox.argocdUsername,
      ARGOCD_PASSWORD: sandbox.argocdPassword,
      KUBECONFIG: sandbox.kubeconfig,
      POD_NAME: 'bench-summary',
      LEADER_ELECTION_LEASE: options.lease ?? 'summary-bench',
      // The sandbox is one Node process that also serves the 10,000-app lists: renewals can queue
      // behind them for seconds, which a real API server's would not.
      LEADER_ELECTION_LEASE_SECONDS: '30',
    },
  });
  return {
    pid: child.pid ?? 0,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(profile === undefined ? 'SIGKILL' : 'SIGTERM');
      }),
  };
}

async function waitFresh(
  base: string,
  headers: Record<string, string>,
): Promise<{ resyncMs?: number; freshAfterMs?: number }> {
  for (let i = 0; i < 1200; i += 1) {
    try {
      const res = await fetch(`${base}/summary/v1/stats`, { headers });
      if (res.status === 200) {
        const body = (await res.json()) as {
          collector: { freshAt: string | null; resyncMs: number | null; freshAfterMs: number | null };
        };
        const { freshAt, resyncMs, freshAfterMs } = body.collector;
        if (freshAt !== null)
          return { resyncMs: resyncMs ?? undefined, freshAfterMs: freshAfterMs ?? undefined };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the summary service did not become fresh within 120 s');
}

/**
 * 200 upstream changes per second for a few seconds (an annotation on one pod of a different app
 * each time, through the Kubernetes API), timed until the summary publishes that app's new
 * record (published in the same Redis script that writes the record and its indexes).
 */
async function measureFreshness(
  base: string,
  token: string,
  sandbox: SandboxInfo,
  apps: number,
): Promise<{ sent: number; latencies: number[] }> {
  const pods = (
    await kubeGetJson<{
      items: Array<{ metadata: { name: string; namespace: string; labels: Record<string, string> } }>;
    }>(
      `${sandbox.urls.kube}/api/v1/pods?labelSelector=platform-api/app&limit=${apps}`,
      sandbox.kubeToken,
      sandbox.caFile,
    )
  ).items;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const stream = http.get(
    `${base}/summary/v1/stream?access_token=${token}`,
    { headers: { accept: 'text/event-stream' } },
    (res) => {
      onRecords(res, '\n\n', (frame) => {
        const app = /"app":"([^"]+)"/.exec(frame)?.[1];
        const at = app === undefined ? undefined : sentAt.get(app);
        if (app !== undefined && at !== undefined) {
          latencies.push(performance.now() - at);
          sentAt.delete(app);
        }
      });
    },
  );
  stream.on('error', () => undefined);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const total = Math.min(pods.length, RATE * 5);
  let sent = 0;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: fs.readFileSync(sandbox.caFile) });
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < RATE / 100 && sent < total; i += 1) {
        const pod = pods[sent];
        sent += 1;
        if (pod === undefined) continue;
        const app = pod.metadata.labels['platform-api/app'] ?? '';
        sentAt.set(app, performance.now());
        const req = https.request(
          `${sandbox.urls.kube}/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`,
          {
            method: 'PATCH',
            agent,
            headers: {
              authorization: `Bearer ${sandbox.kubeToken}`,
              'content-type': 'application/merge-patch+json',
            },
          },
          (res) => res.resume(),
        );
        req.on('error', () => undefined);
        req.end(JSON.stringify({ metadata: { annotations: { 'bench/seq': String(sent) } } }));
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  stream.destroy();
  agent.destroy();
  return { sent, latencies: sortNumbers(latencies) };
}

/** The service's V8 heap in use, in bytes, from its Prometheus metrics. */
async function heapUsed(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** The service's RSS and V8 heap in use, from its Prometheus metrics (prom-client's defaults). */
async function metricsMemory(metricsUrl: string): Promise<string> {
  const text = await (await fetch(metricsUrl)).text();
  const mib = (name: string): number =>
    round(Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20, 0);
  return `${mib('process_resident_memory_bytes')} / ${mib('nodejs_heap_size_used_bytes')}`;
}

/** An admin token from the sandbox's development sign-in, which the service trusts through its JWKS. */
async function devToken(adminUrl: string): Promise<string> {
  const res = await fetch(`${adminUrl}/admin/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: 'bench', teams: [], groups: ['platform-admins'], ttlSeconds: 3600 }),
  });
  return ((await res.json()) as { token: string }).token;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
