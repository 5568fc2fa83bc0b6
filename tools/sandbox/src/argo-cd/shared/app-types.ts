import type { KubeObject } from '../../core/kube-object';

/** The parts of an argoproj.io/v1alpha1 Application the controller reads and writes. */
export interface AppSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  helm?: {
    valueFiles?: string[];
    values?: string;
    valuesObject?: Record<string, unknown>;
    parameters?: Array<{ name: string; value: string; forceString?: boolean }>;
    fileParameters?: Array<{ name: string; path: string }>;
    releaseName?: string;
    namespace?: string;
    kubeVersion?: string;
    apiVersions?: string[];
    version?: string;
    ignoreMissingValueFiles?: boolean;
    skipCrds?: boolean;
    skipSchemaValidation?: boolean;
    skipTests?: boolean;
  };
  directory?: { recurse?: boolean };
  [key: string]: unknown;
}

export interface AppDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

export interface SyncResourceRef {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface SyncOperation {
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
  resources?: SyncResourceRef[];
  syncOptions?: string[];
  source?: AppSource;
  [key: string]: unknown;
}

export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: { username?: string; automated?: boolean };
  [key: string]: unknown;
}

export type HealthCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type SyncCode = 'Synced' | 'OutOfSync' | 'Unknown';
export type OperationPhase = 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';

export interface ResourceHealth {
  status: HealthCode;
  message?: string;
}

export interface ResourceStatus {
  group?: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  status: SyncCode;
  health?: ResourceHealth;
  requiresPruning?: boolean;
}

export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';
  message: string;
  /** Unset (Go's omitempty) on tasks refused before anything ran. */
  hookPhase?: string;
  syncPhase: string;
}

export interface OperationState {
  operation: Operation;
  phase: OperationPhase;
  message?: string;
  syncResult?: { resources?: ResourceResult[]; revision: string; source: AppSource };
  startedAt: string;
  finishedAt?: string;
}

export interface HistoryEntry {
  revision: string;
  deployedAt: string;
  id: number;
  source: AppSource;
  deployStartedAt: string;
  initiatedBy?: Operation['initiatedBy'];
}

export interface AppCondition {
  type: string;
  message: string;
  lastTransitionTime: string;
}

export interface ApplicationStatus {
  resources?: ResourceStatus[];
  sync?: {
    status: SyncCode;
    comparedTo?: { source: AppSource; destination: AppDestination };
    revision?: string;
  };
  health?: { status: HealthCode; lastTransitionTime?: string };
  history?: HistoryEntry[];
  conditions?: AppCondition[];
  reconciledAt?: string;
  operationState?: OperationState;
  sourceType?: 'Helm' | 'Directory';
  summary?: { images?: string[] };
  controllerNamespace?: string;
}

export interface ApplicationObject extends KubeObject {
  spec: {
    project?: string;
    source?: AppSource;
    destination?: AppDestination;
    syncPolicy?: {
      automated?: { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean; enabled?: boolean };
      syncOptions?: string[];
    };
  };
  operation?: Operation;
  status?: ApplicationStatus;
}

export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';
export const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** Applications written by the admin seed: no git behind them, only their health is kept current. */
export const SEEDED_ANNOTATION = 'sandbox.platform-api/seeded';
export const CONTROLLER_COMPONENT = 'argocd-application-controller';
