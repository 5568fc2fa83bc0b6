import type { Observable } from 'rxjs';
import type { WatchNotice } from '@platform/watch';
import type { ProbeOptions } from '../health/upstream-probe';
import type {
  Application,
  ApplicationTree,
  ApplicationWatchEvent,
  AppProject,
  ArgoCdLogEntry,
  KubeEvent,
} from '@platform/upstream-types';

export interface SyncOptions {
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
}

export interface WatchApplicationsOptions {
  name?: string;
  selector?: string;
  /**
   * Paths of an Application to receive (`metadata.labels`, `status.sync`), trimming the list and
   * the events to them (plus the name and resourceVersion the watch reads itself); default: whole
   * objects. The objects then hold only those paths, whatever their type says.
   */
  fields?: readonly string[];
}

/** The Argo CD server API the platform uses. */
export abstract class ArgoCd {
  /**
   * Resolves when Argo CD answers and takes the platform's token or session as logged in; rejects
   * with UnauthorizedError when it does not (its version endpoint answers anyone, so it proves less).
   */
  abstract verifySession(options?: ProbeOptions): Promise<void>;
  abstract list(options?: { selector?: string; projects?: string[] }): Promise<Application[]>;
  abstract get(
    name: string,
    options?: { refresh?: 'normal' | 'hard'; project?: string },
  ): Promise<Application>;
  /**
   * The AppProject of that name (`GET /api/v1/projects/{name}`): NotFoundError when there is
   * none, ForbiddenError when the account may not `projects, get` it.
   */
  abstract getProject(name: string): Promise<AppProject>;
  /** Creates, or replaces the spec of, an application (`upsert=true`). */
  abstract upsert(application: Application, options?: { validate?: boolean }): Promise<Application>;
  abstract delete(name: string, options?: { cascade?: boolean }): Promise<void>;
  abstract sync(name: string, options?: SyncOptions): Promise<Application>;
  abstract resourceTree(name: string): Promise<ApplicationTree>;
  abstract events(name: string): Promise<KubeEvent[]>;
  /** Pod logs of the app; completes after the entry marked `last`. */
  abstract logs(
    name: string,
    options?: { container?: string; follow?: boolean; tailLines?: number },
  ): Observable<ArgoCdLogEntry>;
  /** The applications, then their changes: a resilient list-then-watch. */
  abstract watch(
    options?: WatchApplicationsOptions,
  ): Observable<WatchNotice<ApplicationWatchEvent, Application>>;
}
