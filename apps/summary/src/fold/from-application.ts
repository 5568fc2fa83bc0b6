import type { Application } from '@platform/argo-client';
import { Labels, type HealthSummary, type SyncSummary } from '@platform/domain';

/** What the summary reads from an Argo CD Application. */
export interface ApplicationFacts {
  app: string;
  team: string | null;
  template: string | null;
  manifestsRepo: string | null;
  /** The namespace the app deploys to: its pods, Deployments and events live there. */
  namespace: string | null;
  sync: SyncSummary;
  health: HealthSummary;
  images: string[];
  /** When Argo CD last finished a sync of it (the deploy's time when no cd task made it). */
  syncedAt: string | null;
}

/**
 * The paths of an Application that {@link applicationFacts} reads (plus the name and version the
 * watch compares), so that the collector asks Argo CD for nothing else: the resource list, the
 * sync results and the comparison details are most of an Application. A path the fold reads but
 * this list lacks silently reads as absent (null or Unknown): keep the two in step
 * (test/fold/field-lists.spec.ts checks them).
 */
export const APPLICATION_FIELDS: readonly string[] = [
  'metadata.name',
  'metadata.labels',
  'metadata.resourceVersion',
  'spec.source.repoURL',
  'spec.destination.namespace',
  'status.sync.status',
  'status.sync.revision',
  'status.health.status',
  'status.health.message',
  'status.operationState.phase',
  'status.operationState.message',
  'status.operationState.startedAt',
  'status.operationState.finishedAt',
  'status.operationState.syncResult.revision',
  'status.summary.images',
  'status.history.deployedAt',
];

/**
 * The summary's view of an Application. The app's name and team come from the platform labels
 * (an Application without `platform-api/app` is not the platform's); sync, health and the last
 * operation from its status, which may be partly empty before Argo CD's first reconcile.
 */
export function applicationFacts(application: Application): ApplicationFacts | undefined {
  const labels = application.metadata.labels ?? {};
  const app = labels[Labels.app];
  if (app === undefined || app === '') return undefined;
  const status = application.status ?? {};
  const operation = status.operationState;
  const syncStatus = status.sync?.status;
  return {
    app,
    team: labels[Labels.team] ?? null,
    template: labels[Labels.template] ?? null,
    manifestsRepo: application.spec.source?.repoURL ?? null,
    namespace: application.spec.destination?.namespace ?? null,
    sync: {
      status: syncStatus === undefined || syncStatus === '' ? 'Unknown' : syncStatus,
      revision: status.sync?.revision ?? operation?.syncResult?.revision ?? null,
      operation:
        operation === undefined
          ? null
          : {
              phase: operation.phase,
              message: operation.message ?? null,
              startedAt: operation.startedAt ?? null,
              finishedAt: operation.finishedAt ?? null,
            },
    },
    health: { status: status.health?.status ?? 'Unknown', message: status.health?.message ?? null },
    images: [...(status.summary?.images ?? [])].sort(),
    syncedAt: operation?.finishedAt ?? status.history?.at(-1)?.deployedAt ?? null,
  };
}
