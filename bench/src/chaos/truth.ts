import type { Application, Workflow } from '@platform/argo-client';
import { Labels, taskFromWorkflow } from '@platform/domain';
import { Kinds, type SandboxContext } from '@platform/sandbox';

/** What the portal's app list should show of an app, taken from the sandbox's store itself. */
export interface AppTruth {
  team: string;
  build: { taskId: string; phase: string } | null;
  deploy: { taskId: string | null; phase: string } | null;
  sync: string;
  health: string;
}

export interface WorkflowTruth {
  name: string;
  app: string;
  type: string;
  phase: string;
  /** Why it failed: the failing step and its message. */
  error: string | null;
}

/** The sandbox's state at one moment: apps, platform workflows and the summary Lease's holder. */
export interface Truth {
  apps: Record<string, AppTruth>;
  workflows: WorkflowTruth[];
  leaseHolder: string | null;
}

const LINKS = { self: (id: string) => id, stream: (id: string) => id };
/** How the summary names a sync operation's phase when no cd task made it (apps/summary fold). */
const OPERATION_PHASES: Record<string, string> = {
  Running: 'Running',
  Terminating: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Error: 'Failed',
};

interface Facts {
  id: string;
  type: string;
  app: string;
  phase: string;
  createdAt: string;
  error: string | null;
}

/**
 * Reads the truth straight from the store (no API, no faults in the way): every Application that
 * names a platform app, and the newest ci and cd workflow of each, as the summary's fold defines
 * newest (creation time, then name).
 */
export function readTruth(ctx: SandboxContext, lease: { namespace: string; name: string }): Truth {
  const tasks = ctx.store
    .list(Kinds.Workflow)
    .items.map((object) => {
      const task = taskFromWorkflow(object as unknown as Workflow, LINKS);
      if (task.type === null || task.app === null) return undefined;
      const facts: Facts = {
        id: task.id,
        type: task.type,
        app: task.app,
        phase: task.phase,
        createdAt: task.createdAt ?? task.startedAt ?? '',
        error: task.error === null ? null : `${task.error.step ?? '?'}: ${task.error.message}`,
      };
      return facts;
    })
    .filter((t): t is Facts => t !== undefined);
  const newest = new Map<string, Facts>();
  for (const task of tasks) {
    const key = `${task.app}\0${task.type}`;
    const found = newest.get(key);
    if (found === undefined || newer(task, found)) newest.set(key, task);
  }
  const apps: Record<string, AppTruth> = {};
  for (const object of ctx.store.list(Kinds.Application).items) {
    const application = object as unknown as Application;
    const labels = application.metadata.labels ?? {};
    const app = labels[Labels.app];
    if (app === undefined || app === '') continue;
    const status = application.status ?? {};
    const ci = newest.get(`${app}\0ci`);
    const cd = newest.get(`${app}\0cd`);
    const operation = status.operationState?.phase;
    apps[app] = {
      team: labels[Labels.team] ?? '',
      build: ci === undefined ? null : { taskId: ci.id, phase: ci.phase },
      deploy:
        cd !== undefined
          ? { taskId: cd.id, phase: cd.phase }
          : operation !== undefined
            ? { taskId: null, phase: OPERATION_PHASES[operation] ?? 'Pending' }
            : null,
      sync: status.sync?.status || 'Unknown',
      health: status.health?.status ?? 'Unknown',
    };
  }
  const holder = ctx.store.get(Kinds.Lease, lease.namespace, lease.name) as
    { spec?: { holderIdentity?: string } } | undefined;
  return {
    apps,
    workflows: tasks.map((t) => ({ name: t.id, app: t.app, type: t.type, phase: t.phase, error: t.error })),
    leaseHolder: holder?.spec?.holderIdentity ?? null,
  };
}

function newer(a: Facts, b: Facts): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
}
