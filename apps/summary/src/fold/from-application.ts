import type { Application } from '@platform/argo-client';
import { applicationName, Labels, type HealthSummary, type SyncSummary } from '@platform/domain';

/** What the summary reads from an Argo CD Application: one environment of one app. */
export interface ApplicationFacts {
  /** The Application's own name (`<app>-<environment>`; older apps: the app's name). */
  name: string;
  app: string;
  /** The environment it deploys (see {@link applicationEnvironment}). */
  environment: string;
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
  /** The Argo CD snapshot that last mentioned the Application (see AppState). */
  mark: number;
}

/** The environment an Application without the environment label deploys, when nothing says. */
export const DEFAULT_ENVIRONMENT = 'default';

/** `values-<environment>.yaml` (or `.yml`), possibly in a folder: what names an older app's environment. */
const ENVIRONMENT_VALUES = /(?:^|\/)values-([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.ya?ml$/;

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
  'spec.source.helm.valueFiles',
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
 * The environment an Application deploys: its `platform-api/environment` label. Applications made
 * before the platform had environments (one per app, named after it) carry no such label: theirs
 * is the environment of their last `values-<environment>.yaml` value file (create-app layered the
 * chart's values that way from the start), else {@link DEFAULT_ENVIRONMENT}.
 */
export function applicationEnvironment(application: Application): string {
  const label = application.metadata.labels?.[Labels.environment];
  if (label !== undefined && label !== '') return label;
  const files = application.spec.source?.helm?.valueFiles ?? [];
  for (let i = files.length - 1; i >= 0; i -= 1) {
    const match = ENVIRONMENT_VALUES.exec(files[i] ?? '');
    if (match?.[1] !== undefined) return match[1];
  }
  return DEFAULT_ENVIRONMENT;
}

/**
 * The summary's view of an Application. The app's name and team come from the platform labels
 * (an Application without `platform-api/app` is not the platform's; its own name says nothing,
 * see libs/domain environments.ts), the environment from {@link applicationEnvironment}; sync,
 * health and the last operation from its status, which may be partly empty before Argo CD's first
 * reconcile. `mark` is set here, in the literal (see AppState).
 */
export function applicationFacts(application: Application, mark = 0): ApplicationFacts | undefined {
  const labels = application.metadata.labels ?? {};
  const app = labels[Labels.app];
  if (app === undefined || app === '') return undefined;
  const status = application.status ?? {};
  const operation = status.operationState;
  const syncStatus = status.sync?.status;
  const environment = applicationEnvironment(application);
  return {
    name: application.metadata.name ?? applicationName(app, environment),
    app,
    environment,
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
    mark,
  };
}
