import type { ApplicationObject, ApplicationStatus, Operation } from '../shared/app-types';

/**
 * The operation automated sync starts, or undefined. Like the controller's `autoSync`: only for
 * an OutOfSync app without an operation in progress, never twice for the same revision unless
 * self-heal is on and the last attempt succeeded (a failed sync is not retried in a loop).
 */
export function autoSyncOperation(app: ApplicationObject, status: ApplicationStatus): Operation | undefined {
  const automated = app.spec.syncPolicy?.automated;
  if (automated === undefined || automated === null || automated.enabled === false) return undefined;
  if (app.operation !== undefined || app.metadata.deletionTimestamp !== undefined) return undefined;
  if (status.sync?.status !== 'OutOfSync' || status.sync.revision === undefined) return undefined;
  const revision = status.sync.revision;
  const last = status.operationState;
  if (last?.phase === 'Running') return undefined;
  const attempted = last?.syncResult?.revision === revision;
  if (attempted && (automated.selfHeal !== true || last?.phase !== 'Succeeded')) return undefined;
  return {
    initiatedBy: { automated: true },
    retry: { limit: 5 },
    sync: {
      revision,
      ...(automated.prune === true ? { prune: true } : {}),
      ...(app.spec.syncPolicy?.syncOptions !== undefined
        ? { syncOptions: app.spec.syncPolicy.syncOptions }
        : {}),
    },
  };
}
