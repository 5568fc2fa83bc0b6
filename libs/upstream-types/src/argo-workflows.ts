/** The fields of Argo Workflows objects the platform reads; the rest passes through untouched. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export type WorkflowPhase = '' | 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';
export type NodePhase = WorkflowPhase | 'Skipped' | 'Omitted';

export interface Parameter {
  name: string;
  value?: string;
  default?: string;
  description?: string;
  enum?: string[];
  globalName?: string;
  valueFrom?: Record<string, unknown>;
}

export interface NodeStatus {
  id: string;
  name: string;
  displayName?: string;
  type: string;
  templateName?: string;
  phase?: NodePhase;
  boundaryID?: string;
  children?: string[];
  message?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  progress?: string;
  outputs?: { parameters?: Parameter[]; exitCode?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface Workflow {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    workflowTemplateRef?: { name: string; clusterScope?: boolean };
    entrypoint?: string;
    arguments?: { parameters?: Parameter[] };
    shutdown?: string;
    [key: string]: unknown;
  };
  status?: {
    phase?: WorkflowPhase;
    startedAt?: string | null;
    finishedAt?: string | null;
    progress?: string;
    message?: string;
    nodes?: Record<string, NodeStatus>;
    outputs?: { parameters?: Parameter[] };
    [key: string]: unknown;
  };
}

export interface WorkflowTemplate {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { arguments?: { parameters?: Parameter[] }; entrypoint?: string; [key: string]: unknown };
}

export interface WorkflowList {
  metadata: { resourceVersion?: string; continue?: string };
  items: Workflow[] | null;
}

export interface WorkflowWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Workflow;
}

export interface LogEntry {
  content: string;
  podName: string;
}

export interface KubeEvent {
  metadata: ObjectMeta;
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
}
