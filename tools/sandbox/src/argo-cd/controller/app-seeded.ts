import type { KubeObject } from '../../core/kube-object';
import { ALL_KINDS } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { kubeTime } from '../../core/sim-clock';
import { compareApp } from './app-compare';
import { writeStatus } from './app-status';
import type { ApplicationObject } from '../shared/app-types';

/**
 * Health refresh of a seeded app (no git behind it): the resources its status lists are compared
 * with themselves, so only their health moves. Seeded apps number thousands, so neither every
 * pod nor every tracked object is scanned for them.
 */
export function refreshSeededApp(ctx: SandboxContext, app: ApplicationObject): void {
  const targets = (app.status?.resources ?? []).map((r): KubeObject => {
    const group = r.group ?? '';
    const kind = ALL_KINDS.find((k) => k.kind === r.kind && k.group === group);
    const live = kind === undefined ? undefined : ctx.store.get(kind, r.namespace, r.name);
    const apiVersion = group === '' ? r.version : `${group}/${r.version}`;
    return live ?? { apiVersion, kind: r.kind, metadata: { name: r.name, namespace: r.namespace } };
  });
  const comparison = compareApp(ctx, app.metadata.name ?? '', targets, { findExtra: false });
  const old = app.status ?? {};
  const unchanged = old.health?.status === comparison.health;
  const health = {
    status: comparison.health,
    lastTransitionTime: unchanged ? old.health?.lastTransitionTime : kubeTime(new Date()),
  };
  writeStatus(ctx, app, { ...old, resources: comparison.resources, health }, true);
}
