import type { AppSummary } from '@platform/domain';
import { Kinds, type Sandbox } from '@platform/sandbox';
import { getJson } from './summary-harness';

/** The fields every fault test compares: what the sandbox holds vs. what the summary serves. */
export interface Essentials {
  app: string;
  team: string | null;
  sync: string;
  health: string;
  pods: string;
  /** `ready/updated/available of desired`, `rolling out` while a rollout is under way; null: no Deployment. */
  rollout: string | null;
  build: string | null;
  deploy: string | null;
}

interface Obj {
  spec?: Record<string, unknown>;
  metadata: {
    generation?: number;
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
  };
  status?: Record<string, unknown>;
}

const APP = 'platform-api/app';

/**
 * What the sandbox's own state says each app's summary must be, read straight from its store: an
 * app's pods, Deployments and tasks wherever they are, and the worst sync and health of its
 * Applications (one per environment).
 */
export function sandboxTruth(sandbox: Sandbox): Essentials[] {
  const store = sandbox.ctx.store;
  const latest = new Map<string, Obj>();
  for (const wf of store.list(Kinds.Workflow).items as Obj[]) {
    const labels = wf.metadata.labels ?? {};
    const key = `${labels[APP] ?? ''}/${labels['platform-api/task-type'] ?? ''}`;
    const seen = latest.get(key);
    const order = (o: Obj): string => `${o.metadata.creationTimestamp ?? ''}|${o.metadata.name ?? ''}`;
    if (seen === undefined || order(wf) > order(seen)) latest.set(key, wf);
  }
  const pods = new Map<string, { ready: number; total: number }>();
  for (const pod of store.list(Kinds.Pod).items as Obj[]) {
    const app = pod.metadata.labels?.[APP];
    if (app === undefined) continue;
    const statuses = (pod.status?.containerStatuses as Array<{ ready?: boolean }> | undefined) ?? [];
    const ready =
      pod.metadata.deletionTimestamp === undefined && statuses.length > 0 && statuses.every((s) => s.ready);
    const entry = pods.get(app) ?? { ready: 0, total: 0 };
    entry.total += 1;
    if (ready) entry.ready += 1;
    pods.set(app, entry);
  }
  const rollouts = new Map<string, RolloutCounts>();
  for (const deployment of store.list(Kinds.Deployment).items as Obj[]) {
    const app = deployment.metadata.labels?.[APP];
    if (app === undefined) continue;
    rollouts.set(app, addRollout(rollouts.get(app), rolloutOf(deployment)));
  }
  // One row per app, however many Applications (one per environment) it has: the worst of them.
  const rows = new Map<string, Essentials>();
  for (const a of store.list(Kinds.Application).items as Obj[]) {
    const app = a.metadata.labels?.[APP];
    if (app === undefined) continue;
    const status = a.status as { sync?: { status?: string }; health?: { status?: string } } | undefined;
    const sync = status?.sync?.status || 'Unknown';
    const health = status?.health?.status ?? 'Unknown';
    const seen = rows.get(app);
    if (seen !== undefined) {
      if (worse(SYNC_ORDER, sync, seen.sync)) seen.sync = sync;
      if (worse(HEALTH_ORDER, health, seen.health)) seen.health = health;
      continue;
    }
    const p = pods.get(app) ?? { ready: 0, total: 0 };
    rows.set(app, {
      app,
      team: a.metadata.labels?.['platform-api/team'] ?? null,
      sync,
      health,
      pods: `${p.ready}/${p.total}`,
      rollout: rolloutText(rollouts.get(app)),
      build: latest.get(`${app}/ci`)?.metadata.name ?? null,
      deploy: latest.get(`${app}/cd`)?.metadata.name ?? null,
    });
  }
  return [...rows.values()].sort((x, y) => x.app.localeCompare(y.app));
}

/** Best to worst: Argo CD's order of health (gitops-engine's healthOrder), and sync. */
const HEALTH_ORDER = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];
const SYNC_ORDER = ['Synced', 'Unknown', 'OutOfSync'];

function worse(order: string[], a: string, b: string): boolean {
  const rank = (s: string): number => (order.includes(s) ? order.indexOf(s) : order.indexOf('Unknown'));
  return rank(a) > rank(b);
}

export function essentials(summary: AppSummary): Essentials {
  return {
    app: summary.app,
    team: summary.team,
    sync: summary.sync.status,
    health: summary.health.status,
    pods: `${summary.pods.ready}/${summary.pods.total}`,
    rollout: rolloutText(summary.rollout ?? undefined),
    build: summary.build?.taskId ?? null,
    deploy: summary.deploy?.taskId ?? null,
  };
}

interface RolloutCounts {
  desired: number;
  updated: number;
  ready: number;
  available: number;
  inProgress: boolean;
}

/** Written out from the Deployment's fields (not through the service's code), as kubectl judges a rollout. */
function rolloutOf(deployment: Obj): RolloutCounts {
  const status = (deployment.status ?? {}) as Record<string, number | undefined>;
  const desired = (deployment.spec?.replicas as number | undefined) ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  return {
    desired,
    updated,
    ready: status.readyReplicas ?? 0,
    available,
    inProgress:
      (status.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0) ||
      updated < desired ||
      (status.replicas ?? 0) > updated ||
      available < updated,
  };
}

function addRollout(a: RolloutCounts | undefined, b: RolloutCounts): RolloutCounts {
  if (a === undefined) return b;
  return {
    desired: a.desired + b.desired,
    updated: a.updated + b.updated,
    ready: a.ready + b.ready,
    available: a.available + b.available,
    inProgress: a.inProgress || b.inProgress,
  };
}

function rolloutText(r: RolloutCounts | undefined): string | null {
  if (r === undefined) return null;
  return `${r.ready}/${r.updated}/${r.available} of ${r.desired}${r.inProgress ? ', rolling out' : ''}`;
}

/** Every app the replica serves, all pages, as an admin sees them. */
export async function servedApps(base: string, token: string): Promise<AppSummary[]> {
  const out: AppSummary[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: AppSummary[]; nextCursor: string | null } } = await getJson(
      `${base}/summary/v1/apps?limit=200${cursor === null ? '' : `&cursor=${cursor}`}`,
      token,
    );
    if (res.status !== 200) throw new Error(`list answered ${res.status}: ${JSON.stringify(res.body)}`);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  return out;
}
