/** An app's deployment as Argo CD reports it (GET /monitoring/v1/apps/{app}/status, `status` events). */
export interface AppStatus {
  app: string;
  sync: { status: string; revision: string | null };
  health: { status: string; message: string | null };
  operation: {
    phase: string;
    message: string | null;
    revision: string | null;
    startedAt: string | null;
    finishedAt: string | null;
  } | null;
  resources: Array<{
    kind: string;
    namespace: string | null;
    name: string;
    status: string | null;
    health: string | null;
    healthMessage: string | null;
  }>;
  images: string[];
  reconciledAt: string | null;
}

/** One line of a container of one of the app's pods. */
export interface PodLogLine {
  pod: string;
  container: string;
  /** RFC 3339 time the kubelet stamped on the line. */
  time: string;
  line: string;
}

/** A pod's container joined or left the merged log. */
export interface PodLogMembership {
  pod: string;
  container: string;
  change: 'joined' | 'left';
}

/** A Kubernetes event of one of the app's objects. */
export interface AppEvent {
  uid: string;
  /** Normal or Warning. */
  type: string;
  reason: string;
  message: string;
  object: { kind: string; name: string };
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  source: string | null;
}

/** One line a task's step printed. */
export interface TaskLogLine {
  pod: string;
  /** The step's display name, when the pod could be matched to one. */
  step: string | null;
  line: string;
}

export interface RecentLogsQuery {
  /** Only this container of each pod. */
  container?: string;
  /** Lines of history (0 to 1000, default 100). */
  tail?: number;
  /** Only lines younger than this many seconds. */
  since?: number;
}
