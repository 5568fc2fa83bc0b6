import type { SandboxContext } from '../../core/sandbox-context';
import { kubeTime } from '../../core/sim-clock';
import { stableJson } from '../../kubernetes/controllers/pod-template-hash';
import type { Comparison } from './app-compare';
import { comparisonError, setCondition, setConditions } from './app-conditions';
import { SPEC_CONDITION_TYPES, type SpecProblem } from './app-spec-conditions';
import {
  CONTROLLER_COMPONENT,
  REFRESH_ANNOTATION,
  type ApplicationObject,
  type ApplicationStatus,
} from '../shared/app-types';
import { patch } from '../shared/app-patch';

export interface RefreshResult {
  comparison: Comparison;
  revision?: string;
  sourceType?: 'Helm' | 'Directory';
  /** Why manifests could not be generated, if they could not. */
  error?: unknown;
  /** Whether git was asked (a refresh), which moves `reconciledAt`. */
  full: boolean;
}

/**
 * The Application status after a comparison, in the field order Argo CD writes it. History,
 * operation state and unchanged timestamps are carried over, so a comparison that finds nothing
 * new renders the same status.
 */
export function nextStatus(
  ctx: SandboxContext,
  app: ApplicationObject,
  result: RefreshResult,
): ApplicationStatus {
  const old = app.status ?? {};
  const now = kubeTime(new Date());
  const { comparison } = result;
  const comparedTo = { source: app.spec.source ?? { repoURL: '' }, destination: app.spec.destination ?? {} };
  const sync: ApplicationStatus['sync'] =
    result.error !== undefined
      ? {
          status: 'Unknown',
          comparedTo,
          ...(old.sync?.revision !== undefined ? { revision: old.sync.revision } : {}),
        }
      : {
          status: comparison.sync,
          comparedTo,
          ...(result.revision !== undefined ? { revision: result.revision } : {}),
        };
  const health = {
    status: comparison.health,
    lastTransitionTime:
      old.health?.status === comparison.health ? (old.health.lastTransitionTime ?? now) : now,
  };
  const conditions = setCondition(
    // Reached only when the spec checks passed: their conditions are gone.
    setConditions(old.conditions, [], SPEC_CONDITION_TYPES, now),
    'ComparisonError',
    result.error === undefined ? undefined : comparisonError(result.error),
    now,
  );
  return {
    resources: comparison.resources,
    sync,
    health,
    ...(old.history !== undefined ? { history: old.history } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
    reconciledAt: result.full || old.reconciledAt === undefined ? now : old.reconciledAt,
    ...(old.operationState !== undefined ? { operationState: old.operationState } : {}),
    ...(result.sourceType !== undefined || old.sourceType !== undefined
      ? { sourceType: result.sourceType ?? old.sourceType }
      : {}),
    summary: comparison.images.length > 0 ? { images: comparison.images } : {},
    controllerNamespace: ctx.config.argocdNamespace,
  };
}

/**
 * The status of an app whose spec or project is wrong (`persistReconciliationStatus` after
 * `refreshAppConditions` found errors): the conditions, sync and health Unknown, the rest as it
 * was (nothing was compared).
 */
export function invalidSpecStatus(app: ApplicationObject, problems: SpecProblem[]): ApplicationStatus {
  const old = app.status ?? {};
  const now = kubeTime(new Date());
  const health =
    old.health?.status === 'Unknown' ? old.health : { status: 'Unknown' as const, lastTransitionTime: now };
  return inStatusOrder({
    ...old,
    sync: { ...old.sync, status: 'Unknown' },
    health,
    conditions: setConditions(old.conditions, problems, SPEC_CONDITION_TYPES, now),
  });
}

/**
 * Writes the status only when it changed (a real controller patches only differences, so an idle
 * app's resourceVersion stays put), drops a served refresh annotation, and records the
 * ResourceUpdated events for sync and health transitions. Returns the written app, if any.
 */
export function writeStatus(
  ctx: SandboxContext,
  app: ApplicationObject,
  status: ApplicationStatus,
  clearRefresh: boolean,
): ApplicationObject | undefined {
  const refreshPending = clearRefresh && app.metadata.annotations?.[REFRESH_ANNOTATION] !== undefined;
  if (!refreshPending && stableJson(app.status ?? {}) === stableJson(status)) return undefined;
  const before = app.status;
  const written = patch(ctx, app.metadata.name ?? '', (a) => {
    // The operation runs apart and may have moved on meanwhile: its fields are taken as stored.
    const current = a.status ?? {};
    a.status = inStatusOrder({ ...status, history: current.history, operationState: current.operationState });
    if (refreshPending && a.metadata.annotations !== undefined)
      delete a.metadata.annotations[REFRESH_ANNOTATION];
  });
  if (written === undefined) return undefined;
  const fromSync = before?.sync?.status ?? '';
  if (fromSync !== status.sync?.status) {
    ctx.events.record(
      written,
      'Normal',
      'ResourceUpdated',
      `Updated sync status: ${fromSync} -> ${status.sync?.status ?? ''}`,
      CONTROLLER_COMPONENT,
    );
  }
  const fromHealth = before?.health?.status ?? '';
  if (fromHealth !== status.health?.status) {
    ctx.events.record(
      written,
      'Normal',
      'ResourceUpdated',
      `Updated health status: ${fromHealth} -> ${status.health?.status ?? ''}`,
      CONTROLLER_COMPONENT,
    );
  }
  return written;
}

const STATUS_ORDER: Array<keyof ApplicationStatus> = [
  'resources',
  'sync',
  'health',
  'history',
  'conditions',
  'reconciledAt',
  'operationState',
  'sourceType',
  'summary',
  'controllerNamespace',
];

/** The status with its fields in the order Argo CD serialises them, unset ones left out. */
export function inStatusOrder(status: ApplicationStatus): ApplicationStatus {
  const ordered: Record<string, unknown> = {};
  for (const key of STATUS_ORDER) if (status[key] !== undefined) ordered[key] = status[key];
  return ordered;
}
