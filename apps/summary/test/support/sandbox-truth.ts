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
  build: string | null;
  deploy: string | null;
}

interface Obj {
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
  };
  status?: Record<string, unknown>;
}

const APP = 'platform-api/app';

/** What the sandbox's own state says each app's summary must be, read straight from its store. */
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
  return (store.list(Kinds.Application).items as Obj[])
    .filter((a) => a.metadata.labels?.[APP] !== undefined)
    .map((a) => {
      const app = a.metadata.labels?.[APP] ?? '';
      const status = a.status as { sync?: { status?: string }; health?: { status?: string } } | undefined;
      const p = pods.get(app) ?? { ready: 0, total: 0 };
      return {
        app,
        team: a.metadata.labels?.['platform-api/team'] ?? null,
        sync: status?.sync?.status || 'Unknown',
        health: status?.health?.status ?? 'Unknown',
        pods: `${p.ready}/${p.total}`,
        build: latest.get(`${app}/ci`)?.metadata.name ?? null,
        deploy: latest.get(`${app}/cd`)?.metadata.name ?? null,
      };
    })
    .sort((x, y) => x.app.localeCompare(y.app));
}

export function essentials(summary: AppSummary): Essentials {
  return {
    app: summary.app,
    team: summary.team,
    sync: summary.sync.status,
    health: summary.health.status,
    pods: `${summary.pods.ready}/${summary.pods.total}`,
    build: summary.build?.taskId ?? null,
    deploy: summary.deploy?.taskId ?? null,
  };
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
