import type { ObjectMeta } from './argo-workflows';

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown' | '';
export type HealthStatusCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type OperationPhase = 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';

export interface ApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  helm?: { valueFiles?: string[]; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ResourceStatus {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: string;
  health?: { status?: HealthStatusCode; message?: string };
  [key: string]: unknown;
}

export interface OperationState {
  phase: OperationPhase;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  syncResult?: { revision?: string; resources?: Array<Record<string, unknown>>; [key: string]: unknown };
  operation?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The fields of an Argo CD Application the platform reads; the rest passes through untouched. */
export interface Application {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta & { finalizers?: string[]; deletionTimestamp?: string };
  spec: {
    project?: string;
    source?: ApplicationSource;
    destination?: { server?: string; namespace?: string; name?: string };
    syncPolicy?: Record<string, unknown>;
    [key: string]: unknown;
  };
  operation?: Record<string, unknown>;
  status?: {
    sync?: { status?: SyncStatusCode; revision?: string; [key: string]: unknown };
    health?: { status?: HealthStatusCode; message?: string };
    operationState?: OperationState;
    history?: Array<{ id: number; revision?: string; deployedAt?: string; [key: string]: unknown }>;
    summary?: { images?: string[]; externalURLs?: string[] };
    resources?: ResourceStatus[];
    reconciledAt?: string;
    conditions?: Array<{ type: string; message?: string; lastTransitionTime?: string }>;
    [key: string]: unknown;
  };
}

/** An Argo CD AppProject: where its Applications may come from and deploy to. */
export interface AppProject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    description?: string;
    sourceRepos?: string[];
    destinations?: Array<{ server?: string; name?: string; namespace?: string }>;
    clusterResourceWhitelist?: Array<{ group: string; kind: string; name?: string }>;
    namespaceResourceBlacklist?: Array<{ group: string; kind: string }>;
    [key: string]: unknown;
  };
}

export interface ApplicationWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  application: Application;
}

export interface ResourceNode {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  parentRefs?: Array<{ group?: string; kind: string; namespace?: string; name: string; uid?: string }>;
  health?: { status?: HealthStatusCode; message?: string };
  images?: string[];
  [key: string]: unknown;
}

export interface ApplicationTree {
  nodes?: ResourceNode[];
  [key: string]: unknown;
}

export interface ArgoCdLogEntry {
  content?: string;
  timeStamp?: string;
  timeStampStr?: string;
  podName?: string;
  last?: boolean;
}
