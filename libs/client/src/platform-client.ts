import type { AppSummary, Deployment, Task } from '@platform/domain';
import { MultiplexTopics } from './sse/multiplex';
import { openStream, type EventStream, type OpenStreamOptions, type StreamEvent } from './sse/event-stream';
import { segment, Transport, type TransportOptions } from './transport';
import type { AppEvent, AppStatus, PodLogLine, RecentLogsQuery } from './types/monitoring';
import type {
  AppEventsStreamEvent,
  AppStatusStreamEvent,
  LogsStreamEvent,
  MultiplexEvent,
  SummaryStreamEvent,
  TaskStreamEvent,
  TopicKind,
  TopicRef,
} from './types/stream-events';
import type { AppPage, ListAppsQuery, SummaryStats } from './types/summary';
import type { StreamTicket, TicketService } from './types/stream-ticket';
import type {
  AppTemplate,
  BuildRequest,
  CreateAppRequest,
  DeploymentHistoryQuery,
  DeployRequest,
  ListTasksQuery,
  PromotionRequest,
  RollbackRequest,
  SubmitOptions,
  TaskPage,
} from './types/task';

export type PlatformClientOptions = TransportOptions;

/** Options of every stream method. */
export interface StreamOptions extends Pick<
  OpenStreamOptions<StreamEvent>,
  'transport' | 'longPollAfterMs' | 'longPollWaitSeconds'
> {
  /** Resume after this event id (e.g. kept across a page reload). */
  lastEventId?: string;
  /** Aborting closes the stream. */
  signal?: AbortSignal;
  /** Called on every (re)connection. */
  onOpen?: (info: { reconnected: boolean }) => void;
}

/** Options of an app's streams: which of its environments (the one it was created in by default). */
export interface AppStreamOptions extends StreamOptions {
  environment?: string;
}

export interface LogsStreamOptions extends AppStreamOptions {
  container?: string;
  /** Lines of history in the snapshot (0 to 1000, default 100). */
  tail?: number;
  /** Only history younger than this many seconds. */
  since?: number;
}

const TASK = '/task/v1';
const MONITORING = '/monitoring/v1';
const SUMMARY = '/summary/v1';
const APP_TOPICS: readonly TopicKind[] = ['status', 'events', 'logs'];

/** Events after which a single-topic stream sends nothing more. */
const TOPIC_END = new Set(['upstream-error', 'unauthorized']);
const TASK_END = new Set(['complete', ...TOPIC_END]);

/**
 * The Platform API for a portal: the task service (create, build, deploy, tasks), the summary
 * service (the app list) and the monitoring service (current state and live streams), all under one
 * base URL as the Ingress routes them. Errors are thrown as {@link PlatformApiError}.
 */
export class PlatformClient {
  private readonly http: Transport;

  constructor(options: PlatformClientOptions) {
    this.http = new Transport(options);
  }

  // --- task service ---

  /** The app templates that can be used, with their parameters. */
  async templates(signal?: AbortSignal): Promise<AppTemplate[]> {
    return (
      await this.http.json<{ items: AppTemplate[] }>({ method: 'GET', path: `${TASK}/templates`, signal })
    ).items;
  }

  template(name: string, signal?: AbortSignal): Promise<AppTemplate> {
    return this.http.json({ method: 'GET', path: `${TASK}/templates/${segment(name)}`, signal });
  }

  /** Creates an app from a template (repos, Argo CD application, first sync); answers the create task. */
  createApp(request: CreateAppRequest, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/apps`, request, options);
  }

  /** Builds the app's source at a ref and pushes the image; answers the ci task. */
  build(app: string, request: BuildRequest = {}, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/apps/${segment(app)}/builds`, request, options);
  }

  /** Deploys a built image to an environment and syncs it; answers the cd task. */
  deploy(app: string, request: DeployRequest, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/apps/${segment(app)}/deployments`, request, options);
  }

  /** Deploys to one environment exactly the image (by digest) another runs; answers the cd task. */
  promote(app: string, request: PromotionRequest, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/apps/${segment(app)}/promotions`, request, options);
  }

  /** Restores an earlier deploy in a new manifests commit and syncs it; answers the cd task. */
  rollback(app: string, request: RollbackRequest, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/apps/${segment(app)}/rollbacks`, request, options);
  }

  /**
   * Retires the app: its Argo CD applications are deleted with their resources and its
   * repositories archived under new names; answers the delete task. The name is free for a new
   * app once that task succeeded.
   */
  retire(app: string, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/apps/${segment(app)}`, undefined, options, 'DELETE');
  }

  /** The app's deployment history from its manifests repository, newest first. */
  async deployments(
    app: string,
    query: DeploymentHistoryQuery = {},
    signal?: AbortSignal,
  ): Promise<Deployment[]> {
    const path = `${TASK}/apps/${segment(app)}/deployments`;
    return (
      await this.http.json<{ items: Deployment[] }>({ method: 'GET', path, query: { ...query }, signal })
    ).items;
  }

  getTask(id: string, signal?: AbortSignal): Promise<Task> {
    return this.http.json({ method: 'GET', path: `${TASK}/tasks/${segment(id)}`, signal });
  }

  /** Tasks, newest first; pass `nextCursor` as `cursor` for the next page. */
  listTasks(query: ListTasksQuery = {}, signal?: AbortSignal): Promise<TaskPage> {
    return this.http.json({ method: 'GET', path: `${TASK}/tasks`, query: { ...query }, signal });
  }

  /** Stops a running task. */
  cancelTask(id: string, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/tasks/${segment(id)}/cancel`, undefined, options);
  }

  /** Runs a failed task again from its failed steps. */
  retryTask(id: string, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/tasks/${segment(id)}/retry`, undefined, options);
  }

  /** Approves a deploy waiting for it (a member of its approvers group, not its requester). */
  approveTask(id: string, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/tasks/${segment(id)}/approve`, undefined, options);
  }

  /** Rejects a deploy waiting for approval: nothing of it is deployed. */
  rejectTask(id: string, options: SubmitOptions = {}): Promise<Task> {
    return this.submit(`${TASK}/tasks/${segment(id)}/reject`, undefined, options);
  }

  // --- summary service ---

  /** One page of the app list, filtered and sorted; pass `nextCursor` as `cursor` for the next. */
  listApps(query: ListAppsQuery = {}, signal?: AbortSignal): Promise<AppPage> {
    return this.http.json({ method: 'GET', path: `${SUMMARY}/apps`, query: { ...query }, signal });
  }

  /** Every app of the list, page by page. */
  async *allApps(
    query: Omit<ListAppsQuery, 'cursor'> = {},
    signal?: AbortSignal,
  ): AsyncGenerator<AppSummary> {
    let cursor: string | undefined;
    do {
      const page = await this.listApps({ ...query, cursor }, signal);
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  getApp(app: string, signal?: AbortSignal): Promise<AppSummary> {
    return this.http.json({ method: 'GET', path: `${SUMMARY}/apps/${segment(app)}`, signal });
  }

  /** Counts by health, sync and last build/deploy phase, per team and per environment (platform admins only). */
  stats(signal?: AbortSignal): Promise<SummaryStats> {
    return this.http.json({ method: 'GET', path: `${SUMMARY}/stats`, signal });
  }

  /**
   * A single-use ticket (valid 60 s) that opens one of `service`'s streams as `?ticket=`, for a
   * browser's EventSource, which cannot send the Authorization header this client sends.
   */
  streamTicket(service: TicketService, signal?: AbortSignal): Promise<StreamTicket> {
    const prefix = { task: TASK, monitoring: MONITORING, summary: SUMMARY }[service];
    return this.http.json({ method: 'POST', path: `${prefix}/stream-tickets`, body: {}, signal });
  }

  /**
   * AppSummary changes of the caller's apps; reconnects resume after the last event. Load the list
   * on `snapshot` (the first event of a new stream, or when a resume was not possible).
   */
  streamSummary(options: StreamOptions = {}): EventStream<SummaryStreamEvent> {
    return this.stream(this.http.url(`${SUMMARY}/stream`), options, (e) => e.event === 'unauthorized');
  }

  // --- monitoring service ---

  /**
   * The current Argo CD sync, health, operation and per-resource health of one environment of
   * the app (the one it was created in without `environment`).
   */
  appStatus(app: string, signal?: AbortSignal, environment?: string): Promise<AppStatus> {
    return this.http.json({
      method: 'GET',
      path: `${MONITORING}/apps/${segment(app)}/status`,
      query: { environment },
      signal,
    });
  }

  /** The newest lines of all the app's pods (merged). */
  async recentLogs(app: string, query: RecentLogsQuery = {}, signal?: AbortSignal): Promise<PodLogLine[]> {
    const path = `${MONITORING}/apps/${segment(app)}/logs`;
    return (
      await this.http.json<{ lines: PodLogLine[] }>({
        method: 'GET',
        path,
        query: { ...query, follow: false },
        signal,
      })
    ).lines;
  }

  /** The app's newest Kubernetes events (1 to 500, default 50). */
  async recentEvents(app: string, limit?: number, signal?: AbortSignal): Promise<AppEvent[]> {
    const path = `${MONITORING}/apps/${segment(app)}/events`;
    return (
      await this.http.json<{ items: AppEvent[] }>({
        method: 'GET',
        path,
        query: { follow: false, limit },
        signal,
      })
    ).items;
  }

  /** A task live: `snapshot`, `task` on every change, `log` per step line; ends with `complete`. */
  streamTask(id: string, options: StreamOptions = {}): EventStream<TaskStreamEvent> {
    const url = this.http.url(`${MONITORING}/tasks/${segment(id)}/stream`);
    return this.stream(url, options, (e) => TASK_END.has(e.event));
  }

  /** The app's Argo CD status live: `snapshot`, then `status` on every change. */
  streamAppStatus(app: string, options: AppStreamOptions = {}): EventStream<AppStatusStreamEvent> {
    const { environment, ...rest } = options;
    const url = this.http.url(`${MONITORING}/apps/${segment(app)}/status/stream`, { environment });
    return this.stream(url, rest, (e) => TOPIC_END.has(e.event));
  }

  /** The merged logs of the app's pods live: `snapshot`, `log` per line, `pod` as pods join and leave. */
  streamLogs(app: string, options: LogsStreamOptions = {}): EventStream<LogsStreamEvent> {
    const { container, tail, since, environment, ...rest } = options;
    const url = this.http.url(`${MONITORING}/apps/${segment(app)}/logs`, {
      container,
      tail,
      since,
      environment,
    });
    return this.stream(url, rest, (e) => TOPIC_END.has(e.event));
  }

  /** The app's Kubernetes events live: `snapshot` (newest last), then `event`. */
  streamEvents(app: string, options: AppStreamOptions = {}): EventStream<AppEventsStreamEvent> {
    const { environment, ...rest } = options;
    const url = this.http.url(`${MONITORING}/apps/${segment(app)}/events`, { environment });
    return this.stream(url, rest, (e) => TOPIC_END.has(e.event));
  }

  /**
   * Several topics on one connection (`status:shop`, `logs:shop`, `task:<id>`): each event says its
   * topic and kind. A reconnection resumes every topic; the stream ends once all topics have.
   */
  streamTopics(topics: readonly TopicRef[], options: StreamOptions = {}): EventStream<MultiplexEvent> {
    const tracker = new MultiplexTopics(topics);
    const url = (): string => this.http.url(`${MONITORING}/stream`, { topics: tracker.query });
    return openStream<MultiplexEvent>(url(), {
      ...options,
      fetch: this.http.fetch,
      headers: async () => ({ authorization: `Bearer ${await this.http.token()}` }),
      nextUrl: url,
      map: (event) => tracker.map(event),
      isFinal: (event) => tracker.isFinal(event),
    });
  }

  /** An app page's one connection: its status, events and logs (or the `kinds` given). */
  streamApp(
    app: string,
    kinds: readonly TopicKind[] = APP_TOPICS,
    options: StreamOptions = {},
  ): EventStream<MultiplexEvent> {
    return this.streamTopics(
      kinds.map((kind): TopicRef => `${kind}:${app}`),
      options,
    );
  }

  /** A request that starts a task (a POST, or the DELETE that retires an app), with the caller's idempotency key. */
  private submit(
    path: string,
    body: unknown,
    options: SubmitOptions,
    method: 'POST' | 'DELETE' = 'POST',
  ): Promise<Task> {
    const headers: Record<string, string> = {};
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    return this.http.json({
      method,
      path,
      body: method === 'POST' ? (body ?? {}) : undefined,
      headers,
      signal: options.signal,
    });
  }

  private stream<E extends StreamEvent>(
    url: string,
    options: StreamOptions,
    isFinal: (event: E) => boolean,
  ): EventStream<E> {
    return openStream<E>(url, {
      ...options,
      fetch: this.http.fetch,
      headers: async () => ({ authorization: `Bearer ${await this.http.token()}` }),
      isFinal,
    });
  }
}
