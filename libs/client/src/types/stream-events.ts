import type { AppSummary, Task } from '@platform/domain';
import type { EventOf, StreamEvent } from '../sse/event-stream';
import type { AppEvent, AppStatus, PodLogLine, PodLogMembership, TaskLogLine } from './monitoring';

/** Events any stream may end a connection with (the helper reconnects after the first two). */
export interface ConnectionEvents {
  /** The client read too slowly; it reconnects and resumes (or gets a fresh snapshot). */
  overflow: { message: string };
  /** The service is stopping; it reconnects (to another replica) after `reconnectAfterMs`. */
  shutdown: { message: string; reconnectAfterMs: number };
  /** The token expired: the stream stops; open it again with a fresh token. */
  unauthorized: { message: string };
}

/** Events of a topic whose upstream watch broke off and resumed, or failed for good. */
export interface TopicTroubleEvents {
  /** The upstream watch reconnected: a new `snapshot` follows (states in between may be missed). */
  reconnecting: { reason?: string };
  /** The upstream failed for good: the topic (and a single-topic stream) ends. */
  'upstream-error': { message: string };
}

/** `GET /monitoring/v1/tasks/{id}/stream`; `complete` (the finished Task) is the last event. */
export interface TaskStreamEvents extends TopicTroubleEvents {
  snapshot: { task: Task; logs: TaskLogLine[] };
  task: Task;
  log: TaskLogLine;
  complete: Task;
}

/** `GET /monitoring/v1/apps/{app}/status/stream`; a null snapshot: no such Argo CD application yet. */
export interface AppStatusStreamEvents extends TopicTroubleEvents {
  snapshot: AppStatus | null;
  status: AppStatus;
  deleted: { app: string };
}

/** `GET /monitoring/v1/apps/{app}/logs`. */
export interface LogsStreamEvents extends TopicTroubleEvents {
  snapshot: { pods: string[]; lines: PodLogLine[] };
  log: PodLogLine;
  pod: PodLogMembership;
}

/** `GET /monitoring/v1/apps/{app}/events`; the snapshot is newest last. */
export interface AppEventsStreamEvents extends TopicTroubleEvents {
  snapshot: AppEvent[];
  event: AppEvent;
}

/** Why the summary stream asks for the list to be (re)loaded. */
export type SummaryReloadReason = 'new' | 'expired' | 'too-far-behind' | 'history-lost';

/**
 * `GET /summary/v1/stream`: resumable. A reconnect with the last event's id gets the changes missed
 * meanwhile (each app once, as it is now), then live ones. `snapshot` comes first on a connection
 * without a usable id (and if the service lost the change history): load the list then, and apply
 * the events that follow it.
 */
export interface SummaryStreamEvents {
  snapshot: { reason: SummaryReloadReason; message: string };
  app: AppSummary;
  deleted: { app: string };
}

export type TaskStreamEvent = EventOf<TaskStreamEvents & ConnectionEvents>;
export type AppStatusStreamEvent = EventOf<AppStatusStreamEvents & ConnectionEvents>;
export type LogsStreamEvent = EventOf<LogsStreamEvents & ConnectionEvents>;
export type AppEventsStreamEvent = EventOf<AppEventsStreamEvents & ConnectionEvents>;
export type SummaryStreamEvent = EventOf<SummaryStreamEvents & ConnectionEvents>;

/** The topics of the multiplexed stream, by kind, and the events each carries. */
export interface TopicEvents {
  status: AppStatusStreamEvents;
  events: AppEventsStreamEvents;
  logs: LogsStreamEvents;
  task: TaskStreamEvents;
}
export type TopicKind = keyof TopicEvents;

/** A topic of `GET /monitoring/v1/stream?topics=`: `status:shop`, `task:shop-create-x7k2p`. */
export type TopicRef = `${TopicKind}:${string}`;

/** An event of one topic of the multiplexed stream: `kind` tells which events `event` can be. */
export type TopicEvent = {
  [K in TopicKind]: {
    [N in keyof TopicEvents[K] & string]: StreamEvent<N, TopicEvents[K][N]> & {
      topic: TopicRef;
      kind: K;
      /** The app name, or the task id. */
      name: string;
    };
  }[keyof TopicEvents[K] & string];
}[TopicKind];

/** An event of the connection itself (not wrapped in a topic). */
export type ConnectionEvent = EventOf<ConnectionEvents> & { topic: null; kind: null; name: null };

/** `GET /monitoring/v1/stream?topics=`: topic events and connection events. */
export type MultiplexEvent = TopicEvent | ConnectionEvent;
