import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startChildServer } from '../lib/child-server';
import { percentile, round, sortNumbers } from '../lib/stats';
import { BENCH_LIMITS_ENV } from '../lib/bench-limits';
import { startService, type RunningService } from '../lib/service-process';
import { fitColumns, heapGuardEnv, recordPeak, watchPeak } from '../lib/pod-memory';
import { printTable } from '../lib/table';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CONCURRENT = 100;
const KEYS = 20;
const REPEATS_PER_KEY = 5;

const BENCH_GIT_TOKEN = 'bench-git-token';

interface SandboxHello {
  urls: { argo: string; argocd: string; git: string; admin: string };
  argoToken: string;
  argocd: { username: string; password: string };
  registryHost: string;
  registry: { url: string; username?: string; password?: string };
}

interface Timed {
  status: number;
  totalMs: number;
  upstreamMs: number;
  appMs: number;
  id: string;
}

/**
 * What the task service adds on top of the upstream calls of a submit: 100 concurrent create and
 * build requests against the sandbox, each timed by the client and split by the service's
 * Server-Timing into upstream wait and its own time, and 100 concurrent deploys of images whose
 * builds left no workflow (the registry answers for them); beside it, 100 concurrent submits straight to
 * the sandbox's Argo server (the upstream alone). Then 20 Idempotency-Keys sent 5 times each,
 * concurrently, and the workflows that exist afterwards counted per key. Target: the service's own
 * p99 under 10 ms; exactly one workflow per key.
 */
export async function taskSubmitBench(): Promise<void> {
  // Workflows are submitted for real but barely advance (speed 0.05): the bench measures
  // submission, not the steps.
  const sandbox = await startChildServer(path.join(__dirname, '..', 'sandbox', 'sandbox-process.js'), [
    JSON.stringify({
      speed: 0.05,
      templatesDir: path.join(ROOT, 'deploy', 'templates', 'repos'),
      manifestsDir: path.join(ROOT, 'deploy', 'argo'),
      argocdCredentialsSecret: 'platform-argocd',
      // The service's readiness asks the registry with the read-only robot of this setup.
      registryPlatform: true,
      // The bench's creates are for team payments: its organization, and a token to see it.
      gitOrganizations: ['payments'],
      gitToken: BENCH_GIT_TOKEN,
    }),
  ]);
  const hello = sandbox.hello as unknown as SandboxHello;
  const service = await startTaskService(hello);
  const memory = watchPeak(service.pid);
  try {
    await post(`${hello.urls.admin}/admin/seed`, {
      apps: CONCURRENT,
      teams: ['payments'],
      workflowsPerApp: 0,
    });
    const token = await devToken(hello.urls.admin);
    const api = (route: string, body: unknown, headers: Record<string, string> = {}): Promise<Timed> =>
      timed(`${service.base}/task/v1${route}`, body, { authorization: `Bearer ${token}`, ...headers });
    const apps = Array.from({ length: CONCURRENT }, (_, i) => `app-${String(i + 1).padStart(5, '0')}`);

    // Warm both paths (connections, JIT) before measuring.
    await Promise.all(apps.slice(0, 10).map((app) => api(`/apps/${app}/builds`, { ref: 'warm-up' })));
    const direct = await Promise.all(
      apps.map((app) =>
        timed(
          `${hello.urls.argo}/api/v1/workflows/argo/submit`,
          {
            resourceKind: 'WorkflowTemplate',
            resourceName: 'ci',
            submitOptions: { generateName: `${app}-direct-`, parameters: [`app=${app}`, 'team=payments'] },
          },
          { authorization: `Bearer ${hello.argoToken}` },
        ),
      ),
    );
    const sequential: Timed[] = [];
    for (const app of apps) sequential.push(await api(`/apps/${app}/builds`, { ref: 'one-at-a-time' }));
    const builds = await Promise.all(apps.map((app) => api(`/apps/${app}/builds`, { ref: 'main' })));
    const creates = await Promise.all(
      apps.map((_, i) => api('/apps', { name: `bench-${i}`, team: 'payments', template: 'node-service' })),
    );
    // The seeded apps' images are in the registry but no ci workflow of theirs exists (as after
    // Argo's garbage collection): each deploy asks the registry for its tag.
    const tags = await seededTags(hello.urls.admin);
    const deploys = await Promise.all(
      apps.map((app) => api(`/apps/${app}/deployments`, { environment: 'dev', tag: tags.get(app) ?? '' })),
    );

    const keys = Array.from({ length: KEYS }, () => randomUUID());
    const repeated = await Promise.all(
      keys.flatMap((key, i) =>
        Array.from({ length: REPEATS_PER_KEY }, () =>
          api(`/apps/${apps[i] ?? ''}/builds`, { ref: 'release' }, { 'idempotency-key': key }),
        ),
      ),
    );
    const perKey = await workflowsPerKey(hello, apps.slice(0, KEYS));

    printTable(`Task submission: ${CONCURRENT} concurrent requests (target: the service's own p99 < 10 ms)`, [
      row('upstream alone: Argo submit, direct', direct, false),
      row('POST /apps/{app}/builds, one at a time', sequential),
      row('POST /apps/{app}/builds', builds),
      row('POST /apps (create)', creates),
      row('POST /apps/{app}/deployments (tag checked in the registry)', deploys),
    ]);
    printTable(
      `Idempotency: ${KEYS} keys x ${REPEATS_PER_KEY} concurrent repeats (target: 1 workflow per key)`,
      [
        {
          requests: repeated.length,
          'answered 202': repeated.filter((r) => r.status === 202).length,
          'distinct tasks returned': new Set(repeated.map((r) => r.id)).size,
          'workflows per key (min-max)': `${Math.min(...perKey)}-${Math.max(...perKey)}`,
          'keys with exactly one workflow': `${perKey.filter((n) => n === 1).length}/${KEYS}`,
        },
      ],
    );
    const peak = memory.stop();
    printTable('Task service memory under this benchmark (target: the pod limit holds the peak + 30 %)', [
      { process: 'task service', ...fitColumns('task', peak, ['base', 'overlays/prod']) },
    ]);
    recordPeak('task/task-submit', {
      service: 'task',
      scenario: `${CONCURRENT} concurrent builds, creates and deploys, ${KEYS * REPEATS_PER_KEY} idempotent repeats`,
      peakRssMiB: Math.ceil(peak / 2 ** 20),
      mustFit: ['base', 'overlays/dev', 'overlays/prod'],
      benchmark: 'task-submit',
    });
    const failed = [...builds, ...creates, ...deploys, ...repeated].filter((r) => r.status !== 202);
    if (failed.length > 0)
      throw new Error(`${failed.length} requests were not accepted: ${JSON.stringify(failed[0])}`);
  } finally {
    service.stop();
    await sandbox.stop();
  }
}

function row(name: string, results: Timed[], split = true): Record<string, string | number> {
  const p = (values: number[], q: number): number => round(percentile(sortNumbers(values), q));
  const total = results.map((r) => r.totalMs);
  const own = results.map((r) => r.appMs);
  const upstream = results.map((r) => r.upstreamMs);
  return {
    requests: name,
    'total p50 ms': p(total, 50),
    'total p99 ms': p(total, 99),
    'upstream p50 ms': split ? p(upstream, 50) : p(total, 50),
    'service own p50 ms': split ? p(own, 50) : '-',
    'service own p99 ms': split ? p(own, 99) : '-',
  };
}

async function timed(url: string, body: unknown, headers: Record<string, string>): Promise<Timed> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { id?: string; metadata?: { name?: string } };
  const totalMs = performance.now() - started;
  // e.g. upstream;dur=12.30;desc="4 calls", app;dur=1.20
  const timing = res.headers.get('server-timing') ?? '';
  const upstreamMs = Number(/upstream;dur=([\d.]+)/.exec(timing)?.[1] ?? 0);
  const appMs = Number(/app;dur=([\d.]+)/.exec(timing)?.[1] ?? 0);
  return { status: res.status, totalMs, upstreamMs, appMs, id: json.id ?? json.metadata?.name ?? '' };
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
}

/** The tag of each seeded app's image, from the sandbox's registry listing. */
async function seededTags(adminUrl: string): Promise<Map<string, string>> {
  const res = await fetch(`${adminUrl}/admin/registry`);
  const { images } = (await res.json()) as { images: Array<{ repository: string; tag: string }> };
  return new Map(images.map((i) => [i.repository.slice(i.repository.lastIndexOf('/') + 1), i.tag]));
}

/** How many release builds each of the apps has: one per key is the target. */
async function workflowsPerKey(hello: SandboxHello, apps: string[]): Promise<number[]> {
  return Promise.all(
    apps.map(async (app) => {
      const url = new URL(`${hello.urls.argo}/api/v1/workflows/argo`);
      url.searchParams.set('listOptions.labelSelector', `platform-api/app=${app},platform-api/task-type=ci`);
      const res = await fetch(url, { headers: { authorization: `Bearer ${hello.argoToken}` } });
      const list = (await res.json()) as {
        items: Array<{
          spec: { arguments?: { parameters?: Array<{ name: string; value?: string }> } };
        }> | null;
      };
      return (list.items ?? []).filter((w) =>
        w.spec.arguments?.parameters?.some((p) => p.name === 'ref' && p.value === 'release'),
      ).length;
    }),
  );
}

/** A token from the sandbox's development sign-in, which the service trusts through its JWKS. */
async function devToken(adminUrl: string): Promise<string> {
  const res = await fetch(`${adminUrl}/admin/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: 'bench', teams: ['payments'], ttlSeconds: 3600 }),
  });
  return ((await res.json()) as { token: string }).token;
}

function startTaskService(hello: SandboxHello): Promise<RunningService> {
  return startService(path.join(ROOT, 'apps', 'task', 'dist', 'main.js'), {
    ...BENCH_LIMITS_ENV,
    // Its heap sized as in its pod (deploy/image/node-heap-guard.sh) for the smallest limit deploy/ gives.
    ...heapGuardEnv('task', 'base'),
    LOG_LEVEL: 'info',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    AUTH_JWKS_URL: `${hello.urls.admin}/.well-known/jwks.json`,
    AUTH_ISSUER: hello.urls.admin,
    ARGO_SERVER_URL: hello.urls.argo,
    ARGO_TOKEN: hello.argoToken,
    ARGOCD_SERVER_URL: hello.urls.argocd,
    ARGOCD_USERNAME: hello.argocd.username,
    ARGOCD_PASSWORD: hello.argocd.password,
    GIT_SERVER_URL: hello.urls.git,
    GIT_TOKEN: BENCH_GIT_TOKEN,
    REGISTRY_HOST: hello.registryHost,
    REGISTRY_URL: hello.registry.url,
    REGISTRY_USERNAME: hello.registry.username ?? '',
    REGISTRY_PASSWORD: hello.registry.password ?? '',
    TEMPLATES_CATALOG_FILE: path.join(ROOT, 'deploy', 'templates', 'catalog.yaml'),
  });
}
