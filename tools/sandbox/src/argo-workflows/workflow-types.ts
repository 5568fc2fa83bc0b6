/**
 * The parts of the Argo Workflows v1alpha1 types the sandbox controller reads and writes. Field
 * names and optionality follow the upstream Go types; everything else on the objects is kept as
 * sent.
 */
import type { Container, PodSecurityContext, Volume } from '../core/pod-spec';

export type {
  Container,
  EnvVar,
  KeyRef,
  KeyToPath,
  ProjectedSource,
  Volume,
  VolumeMount,
} from '../core/pod-spec';

export interface ValueFrom {
  path?: string;
  parameter?: string;
  default?: string;
  supplied?: Record<string, never>;
  [key: string]: unknown;
}

export interface Parameter {
  name: string;
  value?: string;
  default?: string;
  valueFrom?: ValueFrom;
  globalName?: string;
  enum?: string[];
  description?: string;
}

export interface Arguments {
  parameters?: Parameter[];
  [key: string]: unknown;
}

/** `executor:` of a workflow or template: the account Argo's init and wait containers use. */
export interface ExecutorConfig {
  serviceAccountName?: string;
}

export interface ScriptTemplate extends Container {
  source: string;
}

export interface TemplateRef {
  name: string;
  template: string;
  clusterScope?: boolean;
}

/** What a step or a DAG task has in common: which template to run, with which arguments, when. */
export interface TemplateCall {
  name: string;
  template?: string;
  templateRef?: TemplateRef;
  arguments?: Arguments;
  when?: string;
  continueOn?: { failed?: boolean; error?: boolean };
  [key: string]: unknown;
}

export interface DagTask extends TemplateCall {
  dependencies?: string[];
  depends?: string;
}

export interface RetryStrategy {
  limit?: number | string;
  retryPolicy?: 'Always' | 'OnFailure' | 'OnError' | 'OnTransientError';
  backoff?: { duration?: string | number; factor?: number | string; maxDuration?: string };
}

export interface Template {
  name: string;
  inputs?: { parameters?: Parameter[]; [key: string]: unknown };
  outputs?: { parameters?: Parameter[]; [key: string]: unknown };
  container?: Container;
  script?: ScriptTemplate;
  steps?: TemplateCall[][];
  dag?: { tasks: DagTask[]; failFast?: boolean; target?: string };
  retryStrategy?: RetryStrategy;
  volumes?: Volume[];
  activeDeadlineSeconds?: number | string;
  /** The pod's securityContext; replaces the workflow's (spec.securityContext) when set. */
  securityContext?: PodSecurityContext;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  executor?: ExecutorConfig;
  [key: string]: unknown;
}

/** spec.podGC: when the controller deletes the pods of finished nodes. */
export interface PodGC {
  strategy?: '' | 'OnPodCompletion' | 'OnPodSuccess' | 'OnWorkflowCompletion' | 'OnWorkflowSuccess';
  labelSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  deleteDelayDuration?: string;
}

/** spec.ttlStrategy: when the workflow object itself is deleted after it finished. */
export interface TTLStrategy {
  secondsAfterCompletion?: number;
  secondsAfterSuccess?: number;
  secondsAfterFailure?: number;
}

export interface WorkflowSpec {
  entrypoint?: string;
  arguments?: Arguments;
  templates?: Template[];
  onExit?: string;
  workflowTemplateRef?: { name: string; clusterScope?: boolean };
  shutdown?: string;
  suspend?: boolean;
  volumes?: Volume[];
  volumeClaimTemplates?: Array<{ metadata?: { name?: string } }>;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  executor?: ExecutorConfig;
  securityContext?: PodSecurityContext;
  activeDeadlineSeconds?: number;
  podGC?: PodGC;
  ttlStrategy?: TTLStrategy;
  [key: string]: unknown;
}

export type NodePhase = 'Pending' | 'Running' | 'Succeeded' | 'Skipped' | 'Failed' | 'Error' | 'Omitted';

export type NodeType = 'Pod' | 'Steps' | 'StepGroup' | 'DAG' | 'Retry' | 'Skipped' | 'TaskGroup' | 'Suspend';

export interface NodeOutputs {
  parameters?: Parameter[];
  result?: string;
  exitCode?: string;
}

export interface NodeStatus {
  id: string;
  name: string;
  displayName: string;
  type: NodeType;
  templateName?: string;
  templateScope?: string;
  phase: NodePhase;
  boundaryID?: string;
  message?: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress?: string;
  inputs?: { parameters?: Parameter[] };
  outputs?: NodeOutputs;
  children?: string[];
  outboundNodes?: string[];
  hostNodeName?: string;
  resourcesDuration?: { cpu: number; memory: number };
}

export type WorkflowPhase = '' | 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';

export interface WorkflowStatus {
  phase?: WorkflowPhase;
  startedAt?: string | null;
  finishedAt?: string | null;
  progress?: string;
  message?: string;
  nodes?: Record<string, NodeStatus>;
  outputs?: { parameters?: Parameter[] };
  conditions?: Array<{ type: string; status: string; message?: string }>;
  storedWorkflowTemplateSpec?: WorkflowSpec;
  [key: string]: unknown;
}

export const WORKFLOW_LABELS = {
  workflow: 'workflows.argoproj.io/workflow',
  phase: 'workflows.argoproj.io/phase',
  completed: 'workflows.argoproj.io/completed',
} as const;

export const POD_ANNOTATIONS = {
  nodeName: 'workflows.argoproj.io/node-name',
  nodeId: 'workflows.argoproj.io/node-id',
  outputs: 'workflows.argoproj.io/outputs',
  template: 'workflows.argoproj.io/template',
  podGCStrategy: 'workflows.argoproj.io/pod-gc-strategy',
} as const;

export function isFulfilled(phase: NodePhase | undefined): boolean {
  return (
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    phase === 'Error' ||
    phase === 'Skipped' ||
    phase === 'Omitted'
  );
}

export function isFailedOrError(phase: NodePhase | undefined): boolean {
  return phase === 'Failed' || phase === 'Error';
}

export function isWorkflowCompleted(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}
