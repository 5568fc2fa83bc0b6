import { InvalidRequestError } from '@platform/errors';
import type { BackoffOptions, WatchNotice } from '@platform/watch';
import type { Observable } from 'rxjs';
import type { ArgoWorkflowsVersion, ProbeOptions } from '../health/upstream-probe';
import type { HttpTransport } from '../http/http-transport';
import { resilientWatch } from '../stream/resilient-watch';
import { streamResults } from '../stream/stream-results';
import { watchFields } from '../stream/watch-fields';
import { DEFAULT_WORKFLOW_PAGES, listWorkflowPages, type WorkflowPagesOptions } from './workflow-pages';
import {
  ArgoWorkflows,
  type ListWorkflowsOptions,
  type SubmitOptions,
  type WatchWorkflowsOptions,
} from './argo-workflows';
import type {
  KubeEvent,
  LogEntry,
  Workflow,
  WorkflowList,
  WorkflowTemplate,
  WorkflowWatchEvent,
} from '@platform/upstream-types';

export interface StreamOptions {
  idleTimeoutMs?: number;
  /** How a watch's list is paged; see listWorkflowPages (Argo CD uses only `pageSize`). */
  pages?: WorkflowPagesOptions;
  backoff?: BackoffOptions;
  /** Told when a watch stream of this client opens (true) or ends (false); see resilientWatch. */
  onConnection?: (connected: boolean, reason: string) => void;
}

const enc = encodeURIComponent;

/** {@link ArgoWorkflows} over the Argo Server's HTTP API (grpc-gateway). */
export class HttpArgoWorkflows extends ArgoWorkflows {
  constructor(
    private readonly http: HttpTransport,
    private readonly streams: StreamOptions = {},
  ) {
    super();
  }

  private get pages(): WorkflowPagesOptions {
    return this.streams.pages ?? DEFAULT_WORKFLOW_PAGES;
  }

  version(options: ProbeOptions = {}): Promise<ArgoWorkflowsVersion> {
    return this.http.request<ArgoWorkflowsVersion>('GET', '/api/v1/version', {
      timeoutMs: options.timeoutMs,
      maxRetries: 0,
    });
  }

  submit(namespace: string, options: SubmitOptions): Promise<Workflow> {
    return this.http.request<Workflow>('POST', `/api/v1/workflows/${enc(namespace)}/submit`, {
      body: {
        resourceKind: 'WorkflowTemplate',
        resourceName: options.template,
        submitOptions: {
          name: options.name,
          generateName: options.generateName,
          entryPoint: options.entryPoint,
          parameters: Object.entries(options.parameters ?? {}).map(([k, v]) => `${k}=${v}`),
          labels: joinPairs(options.labels),
          annotations: joinPairs(options.annotations),
          serviceAccount: options.serviceAccount,
        },
      },
    });
  }

  create(namespace: string, workflow: Workflow, options: { dryRun?: boolean } = {}): Promise<Workflow> {
    return this.http.request<Workflow>('POST', `/api/v1/workflows/${enc(namespace)}`, {
      body: { workflow, serverDryRun: options.dryRun ?? false },
    });
  }

  get(namespace: string, name: string, options: { fields?: string } = {}): Promise<Workflow> {
    return this.http.request<Workflow>('GET', `/api/v1/workflows/${enc(namespace)}/${enc(name)}`, {
      query: { fields: options.fields },
    });
  }

  async list(namespace: string, options: ListWorkflowsOptions = {}): Promise<WorkflowList> {
    const list = await this.http.request<WorkflowList>('GET', `/api/v1/workflows/${enc(namespace)}`, {
      query: {
        'listOptions.labelSelector': options.labelSelector,
        'listOptions.fieldSelector': options.fieldSelector,
        'listOptions.limit': options.limit,
        'listOptions.continue': options.continue,
        fields: options.fields,
      },
    });
    return { metadata: list.metadata ?? {}, items: list.items ?? [] };
  }

  terminate(namespace: string, name: string): Promise<Workflow> {
    return this.http.request<Workflow>('PUT', `/api/v1/workflows/${enc(namespace)}/${enc(name)}/terminate`, {
      body: {},
    });
  }

  stop(namespace: string, name: string, message?: string): Promise<Workflow> {
    return this.http.request<Workflow>('PUT', `/api/v1/workflows/${enc(namespace)}/${enc(name)}/stop`, {
      body: message === undefined ? {} : { message },
    });
  }

  resumeNodes(namespace: string, name: string, nodeFieldSelector: string): Promise<Workflow> {
    return this.http.request<Workflow>('PUT', `/api/v1/workflows/${enc(namespace)}/${enc(name)}/resume`, {
      body: { nodeFieldSelector },
    });
  }

  /** `stop` with a node field selector: Argo fails the matching Suspend nodes, not the workflow. */
  failNodes(namespace: string, name: string, nodeFieldSelector: string, message: string): Promise<Workflow> {
    return this.http.request<Workflow>('PUT', `/api/v1/workflows/${enc(namespace)}/${enc(name)}/stop`, {
      body: { nodeFieldSelector, message },
    });
  }

  retry(
    namespace: string,
    name: string,
    options: {
      restartSuccessful?: boolean;
      nodeFieldSelector?: string;
      parameters?: Record<string, string>;
    } = {},
  ): Promise<Workflow> {
    return this.http.request<Workflow>('PUT', `/api/v1/workflows/${enc(namespace)}/${enc(name)}/retry`, {
      body: {
        restartSuccessful: options.restartSuccessful ?? false,
        nodeFieldSelector: options.nodeFieldSelector ?? '',
        parameters: Object.entries(options.parameters ?? {}).map(([k, v]) => `${k}=${v}`),
      },
      // Retrying twice would be refused by the server anyway; do not repeat it on a timeout.
      idempotent: false,
    });
  }

  resubmit(namespace: string, name: string): Promise<Workflow> {
    return this.http.request<Workflow>('PUT', `/api/v1/workflows/${enc(namespace)}/${enc(name)}/resubmit`, {
      body: {},
      idempotent: false,
    });
  }

  async delete(namespace: string, name: string): Promise<void> {
    await this.http.request<unknown>('DELETE', `/api/v1/workflows/${enc(namespace)}/${enc(name)}`);
  }

  async listTemplates(namespace: string): Promise<WorkflowTemplate[]> {
    const list = await this.http.request<{ items: WorkflowTemplate[] | null }>(
      'GET',
      `/api/v1/workflow-templates/${enc(namespace)}`,
    );
    return list.items ?? [];
  }

  getTemplate(namespace: string, name: string): Promise<WorkflowTemplate> {
    return this.http.request<WorkflowTemplate>(
      'GET',
      `/api/v1/workflow-templates/${enc(namespace)}/${enc(name)}`,
    );
  }

  logs(
    namespace: string,
    name: string,
    options: { podName?: string; follow?: boolean } = {},
  ): Observable<LogEntry> {
    return streamResults<LogEntry>(this.http.upstream, (signal) =>
      this.http.openStream(
        `/api/v1/workflows/${enc(namespace)}/${enc(name)}/log`,
        {
          'logOptions.container': 'main',
          'logOptions.follow': options.follow ?? false,
          podName: options.podName,
        },
        signal,
      ),
    );
  }

  events(namespace: string, name: string): Observable<WatchNotice<KubeEvent>> {
    return resilientWatch<KubeEvent>({
      ...this.streams,
      open: (resourceVersion, signal) =>
        this.http.openStream(
          `/api/v1/stream/events/${enc(namespace)}`,
          {
            'listOptions.fieldSelector': `involvedObject.kind=Workflow,involvedObject.name=${name}`,
            'listOptions.resourceVersion': resourceVersion,
          },
          signal,
        ),
      versionOf: (event) => event.metadata.resourceVersion,
    });
  }

  watch(
    namespace: string,
    options: WatchWorkflowsOptions = {},
  ): Observable<WatchNotice<WorkflowWatchEvent, Workflow>> {
    const fields = options.fields === undefined ? undefined : watchFields(options.fields, 'object');
    return resilientWatch<WorkflowWatchEvent, Workflow>({
      ...this.streams,
      list: (onPage) =>
        listWorkflowPages(
          (page) =>
            this.list(namespace, {
              labelSelector: options.labelSelector,
              fieldSelector: options.fieldSelector,
              fields: fields?.list,
              ...page,
            }),
          onPage,
          this.pages,
        ),
      open: (resourceVersion, signal) =>
        this.http.openStream(
          `/api/v1/workflow-events/${enc(namespace)}`,
          {
            'listOptions.labelSelector': options.labelSelector,
            'listOptions.fieldSelector': options.fieldSelector,
            'listOptions.resourceVersion': resourceVersion,
            fields: fields?.stream,
          },
          signal,
        ),
      versionOf: (event) => event.object.metadata.resourceVersion,
    });
  }
}

/** Argo takes labels and annotations as ONE comma-separated string of k=v pairs. */
function joinPairs(pairs: Record<string, string> | undefined): string | undefined {
  if (pairs === undefined || Object.keys(pairs).length === 0) return undefined;
  return Object.entries(pairs)
    .map(([k, v]) => {
      if (k.includes(',') || v.includes(',') || k.includes('=')) {
        throw new InvalidRequestError(
          'INVALID_LABEL',
          `label ${k}=${v} cannot be passed to Argo (no commas or '=' in keys)`,
        );
      }
      return `${k}=${v}`;
    })
    .join(',');
}
