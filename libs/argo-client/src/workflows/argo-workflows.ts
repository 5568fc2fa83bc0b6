import type { Observable } from 'rxjs';
import type { WatchNotice } from '@platform/watch';
import type { ArgoWorkflowsVersion, ProbeOptions } from '../health/upstream-probe';
import type {
  KubeEvent,
  LogEntry,
  Workflow,
  WorkflowList,
  WorkflowTemplate,
  WorkflowWatchEvent,
} from '@platform/upstream-types';

export interface SubmitOptions {
  template: string;
  /** An exact name: a second submit with it fails AlreadyExists, which makes a submit idempotent. */
  name?: string;
  generateName?: string;
  entryPoint?: string;
  parameters?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  serviceAccount?: string;
}

export interface ListWorkflowsOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  /** The integer offset Argo returns in `metadata.continue`. */
  continue?: string;
  /** Keep only these paths (`items.metadata.name,...`) or, with a leading `-`, drop them. */
  fields?: string;
}

export interface WatchWorkflowsOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Paths of a Workflow to receive (`metadata.labels`, `status.phase`), trimming the list and the
   * events to them (plus the name and resourceVersion the watch reads itself); default: whole
   * objects. The objects then hold only those paths, whatever their type says.
   */
  fields?: readonly string[];
}

/** The Argo Workflows server API the platform uses. */
export abstract class ArgoWorkflows {
  /**
   * The server's version: a cheap call that still needs a valid token, so it proves both that the
   * server answers and that it accepts the platform's credentials (readiness probes use it).
   */
  abstract version(options?: ProbeOptions): Promise<ArgoWorkflowsVersion>;
  abstract submit(namespace: string, options: SubmitOptions): Promise<Workflow>;
  abstract create(namespace: string, workflow: Workflow, options?: { dryRun?: boolean }): Promise<Workflow>;
  abstract get(namespace: string, name: string, options?: { fields?: string }): Promise<Workflow>;
  abstract list(namespace: string, options?: ListWorkflowsOptions): Promise<WorkflowList>;
  abstract terminate(namespace: string, name: string): Promise<Workflow>;
  abstract stop(namespace: string, name: string, message?: string): Promise<Workflow>;
  /**
   * Resumes the workflow's active Suspend nodes the node field selector matches (they succeed);
   * Argo answers an error when none matches.
   */
  abstract resumeNodes(namespace: string, name: string, nodeFieldSelector: string): Promise<Workflow>;
  /** Fails the active Suspend nodes the node field selector matches, with a message. */
  abstract failNodes(
    namespace: string,
    name: string,
    nodeFieldSelector: string,
    message: string,
  ): Promise<Workflow>;
  abstract retry(
    namespace: string,
    name: string,
    options?: {
      restartSuccessful?: boolean;
      nodeFieldSelector?: string;
      parameters?: Record<string, string>;
    },
  ): Promise<Workflow>;
  abstract resubmit(namespace: string, name: string): Promise<Workflow>;
  abstract delete(namespace: string, name: string): Promise<void>;
  abstract listTemplates(namespace: string): Promise<WorkflowTemplate[]>;
  abstract getTemplate(namespace: string, name: string): Promise<WorkflowTemplate>;
  /** Log lines of the workflow's `main` containers; with `follow` until the workflow completes. */
  abstract logs(
    namespace: string,
    name: string,
    options?: { podName?: string; follow?: boolean },
  ): Observable<LogEntry>;
  /** Kubernetes events of one workflow, as a resilient stream. */
  abstract events(namespace: string, name: string): Observable<WatchNotice<KubeEvent>>;
  /** The workflows, then their changes: a resilient list-then-watch. */
  abstract watch(
    namespace: string,
    options?: WatchWorkflowsOptions,
  ): Observable<WatchNotice<WorkflowWatchEvent, Workflow>>;
}
