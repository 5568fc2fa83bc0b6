import { UnauthorizedError } from '@platform/errors';
import type { Observable } from 'rxjs';
import type { PageSink, WatchNotice } from '@platform/watch';
import type { ArgoCdUserInfo, ProbeOptions } from '../health/upstream-probe';
import type { HttpTransport } from '../http/http-transport';
import { DEFAULT_IDLE_MS } from '../stream/resilient-watch';
import { snapshotWatch } from '../stream/snapshot-watch';
import { streamResults } from '../stream/stream-results';
import { watchFields } from '../stream/watch-fields';
import type { StreamOptions } from '../workflows/http-argo-workflows';
import type {
  Application,
  ApplicationTree,
  ApplicationWatchEvent,
  AppProject,
  ArgoCdLogEntry,
  KubeEvent,
} from '@platform/upstream-types';
import { readListInPages } from './application-pages';
import { ArgoCd, type SyncOptions, type WatchApplicationsOptions } from './argo-cd';

const enc = encodeURIComponent;
/** Applications per `snapshot-page` of a watch's list (StreamOptions.pages.pageSize overrides it). */
const PAGE_SIZE = 500;

/** {@link ArgoCd} over the Argo CD server's HTTP API (grpc-gateway). */
export class HttpArgoCd extends ArgoCd {
  constructor(
    private readonly http: HttpTransport,
    private readonly streams: StreamOptions = {},
  ) {
    super();
  }

  async verifySession(options: ProbeOptions = {}): Promise<void> {
    // userinfo answers 200 with loggedIn unset for a token it rejects, instead of a 401.
    const info = await this.http.request<ArgoCdUserInfo | undefined>('GET', '/api/v1/session/userinfo', {
      timeoutMs: options.timeoutMs,
      maxRetries: 0,
    });
    if (info?.loggedIn === true) return;
    // A session login that expired would otherwise be reused until some other call got a 401.
    this.http.invalidateAuth();
    throw new UnauthorizedError(
      'ARGO_CD_UNAUTHORIZED',
      "Argo CD does not accept the platform's token or session (userinfo says not logged in)",
      { upstream: 'ARGO_CD' },
    );
  }

  async list(options: { selector?: string; projects?: string[] } = {}): Promise<Application[]> {
    return (await this.listWithVersion(options)).items;
  }

  private async listWithVersion(options: {
    name?: string;
    selector?: string;
    projects?: string[];
    fields?: string;
  }): Promise<{ items: Application[]; resourceVersion?: string }> {
    const list = await this.http.request<{
      metadata?: { resourceVersion?: string };
      items?: Application[] | null;
    }>('GET', '/api/v1/applications', {
      query: {
        name: options.name,
        selector: options.selector,
        projects: options.projects,
        fields: options.fields,
      },
    });
    return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion };
  }

  /**
   * The list a watch starts from, in pages read off the body as it arrives. Argo CD's List has no
   * paging (ApplicationQuery takes no limit or continue; the server answers its whole informer
   * cache, filtered and sorted by name), so the one response is cut into pages as it streams in
   * and never held whole; `fields` keeps each Application to what the caller reads.
   */
  private async listInPages(
    query: { name?: string; selector?: string; fields?: string },
    onPage: PageSink<Application>,
    signal: AbortSignal,
  ): Promise<void> {
    const res = await this.http.openStream('/api/v1/applications', query, signal, 'application/json');
    await readListInPages(res, onPage, {
      pageSize: this.streams.pages?.pageSize ?? PAGE_SIZE,
      idleMs: this.streams.idleTimeoutMs ?? DEFAULT_IDLE_MS,
    });
  }

  get(name: string, options: { refresh?: 'normal' | 'hard'; project?: string } = {}): Promise<Application> {
    return this.http.request<Application>('GET', `/api/v1/applications/${enc(name)}`, {
      query: { refresh: options.refresh, project: options.project },
    });
  }

  getProject(name: string): Promise<AppProject> {
    return this.http.request<AppProject>('GET', `/api/v1/projects/${enc(name)}`);
  }

  upsert(application: Application, options: { validate?: boolean } = {}): Promise<Application> {
    return this.http.request<Application>('POST', '/api/v1/applications', {
      query: { upsert: true, validate: options.validate ?? true },
      body: application,
      // An upsert of the same spec is harmless to repeat.
      idempotent: true,
    });
  }

  async delete(name: string, options: { cascade?: boolean } = {}): Promise<void> {
    await this.http.request<unknown>('DELETE', `/api/v1/applications/${enc(name)}`, {
      query: { cascade: options.cascade ?? true },
    });
  }

  sync(name: string, options: SyncOptions = {}): Promise<Application> {
    return this.http.request<Application>('POST', `/api/v1/applications/${enc(name)}/sync`, {
      body: { revision: options.revision, prune: options.prune ?? false, dryRun: options.dryRun ?? false },
    });
  }

  resourceTree(name: string): Promise<ApplicationTree> {
    return this.http.request<ApplicationTree>('GET', `/api/v1/applications/${enc(name)}/resource-tree`);
  }

  async events(name: string): Promise<KubeEvent[]> {
    const list = await this.http.request<{ items?: KubeEvent[] | null }>(
      'GET',
      `/api/v1/applications/${enc(name)}/events`,
    );
    return list.items ?? [];
  }

  logs(
    name: string,
    options: { container?: string; follow?: boolean; tailLines?: number } = {},
  ): Observable<ArgoCdLogEntry> {
    return streamResults<ArgoCdLogEntry>(
      this.http.upstream,
      (signal) =>
        this.http.openStream(
          `/api/v1/applications/${enc(name)}/logs`,
          { container: options.container, follow: options.follow ?? false, tailLines: options.tailLines },
          signal,
        ),
      (entry) => entry.last === true,
    );
  }

  watch(options: WatchApplicationsOptions = {}): Observable<WatchNotice<ApplicationWatchEvent, Application>> {
    const fields = options.fields === undefined ? undefined : watchFields(options.fields, 'application');
    const { name, selector } = options;
    return snapshotWatch<ApplicationWatchEvent, Application>({
      ...this.streams,
      open: (signal) =>
        this.http.openStream(
          '/api/v1/stream/applications',
          { name, selector, fields: fields?.stream },
          signal,
        ),
      list: (onPage, signal) => this.listInPages({ name, selector, fields: fields?.list }, onPage, signal),
      keyOfItem: (app) => app.metadata.name ?? '',
      versionOfItem: (app) => app.metadata.resourceVersion,
      keyOfResult: (event) => event.application.metadata.name ?? '',
      versionOfResult: (event) => event.application.metadata.resourceVersion,
    });
  }
}
