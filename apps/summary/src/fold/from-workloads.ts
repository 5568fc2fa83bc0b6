import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';

export interface PodFacts {
  ready: boolean;
  restarts: number;
  /** The pods snapshot that last mentioned the pod. */
  mark: number;
}

/** A pod counts as ready when every container is; restarts add up over its containers. */
export function podFacts(pod: V1Pod, mark = 0): PodFacts {
  const statuses = pod.status?.containerStatuses ?? [];
  const containers = pod.spec?.containers.length ?? statuses.length;
  const ready =
    pod.metadata?.deletionTimestamp === undefined &&
    statuses.length >= containers &&
    statuses.length > 0 &&
    statuses.every((s) => s.ready);
  return { ready, restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0), mark };
}

export interface WarningFacts {
  reason: string;
  message: string;
  at: string | null;
  /** For ordering: time in ms, then resourceVersion. */
  order: [number, number];
  /** The warnings snapshot that last mentioned the event. */
  mark: number;
}

export function warningFacts(event: CoreV1Event, mark = 0): WarningFacts {
  const at =
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  const iso = at === undefined ? null : new Date(at).toISOString();
  const micro = event.eventTime === undefined ? 0 : new Date(event.eventTime).getTime();
  return {
    reason: event.reason ?? '',
    message: event.message ?? '',
    at: iso,
    order: [Math.max(iso === null ? 0 : Date.parse(iso), micro), Number(event.metadata.resourceVersion) || 0],
    mark,
  };
}

export function laterWarning(a: WarningFacts, b: WarningFacts): boolean {
  return a.order[0] !== b.order[0] ? a.order[0] > b.order[0] : a.order[1] > b.order[1];
}
