/**
 * What the monitoring service sends about an app and a task: the shapes of its one-off reads and
 * stream events, shared with the portal's client so both sides type them the same way.
 */

/** An app's deployment as Argo CD reports it, trimmed to what the portal renders. */
export interface AppStatus {
  app: string;
  /** The environment this status is of: one Argo CD Application per app and environment. */
  environment: string;
  /** That environment's Argo CD Application (`<app>-<environment>`). */
  application: string;
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

/** A Kubernetes event of one of the app's objects, as the portal lists it. */
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

/** One line of a container of one of the app's pods, tagged with where it came from. */
export interface PodLogLine {
  pod: string;
  container: string;
  /** RFC 3339 time the kubelet stamped on the line (with `timestamps=true`). */
  time: string;
  line: string;
}

/** A pod's container joined or left the merged log, so a viewer can show pods coming and going. */
export interface PodLogMembership {
  pod: string;
  container: string;
  change: 'joined' | 'left';
}

/** One line a task's step printed. */
export interface TaskLogLine {
  pod: string;
  /** The step's display name, when the pod could be matched to one. */
  step: string | null;
  line: string;
}
