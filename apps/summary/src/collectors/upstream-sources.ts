import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { Application, ApplicationWatchEvent, Workflow, WorkflowWatchEvent } from '@platform/argo-client';
import type { ObjectEvent, WatchNotice } from '@platform/watch';
import type { Observable } from 'rxjs';

export type ConnectionListener = (connected: boolean, reason: string) => void;

/** The upstream watches the collector folds; each reports its connection state to `listen`. */
export abstract class UpstreamSources {
  abstract applications(
    listen: ConnectionListener,
  ): Observable<WatchNotice<ApplicationWatchEvent, Application>>;
  abstract workflows(listen: ConnectionListener): Observable<WatchNotice<WorkflowWatchEvent, Workflow>>;
  abstract pods(listen: ConnectionListener): Observable<WatchNotice<ObjectEvent<V1Pod>, V1Pod>>;
  abstract deployments(
    listen: ConnectionListener,
  ): Observable<WatchNotice<ObjectEvent<V1Deployment>, V1Deployment>>;
  abstract warnings(
    listen: ConnectionListener,
  ): Observable<WatchNotice<ObjectEvent<CoreV1Event>, CoreV1Event>>;
}
