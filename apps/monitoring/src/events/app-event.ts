import type { CoreV1Event } from '@kubernetes/client-node';
import type { AppEvent } from '@platform/domain';

export function appEventOf(event: CoreV1Event): AppEvent {
  const at = (value: Date | string | undefined | null): string | null =>
    value === undefined || value === null ? null : new Date(value).toISOString();
  return {
    uid: event.metadata.uid ?? `${event.metadata.namespace ?? ''}/${event.metadata.name ?? ''}`,
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: event.message ?? '',
    object: { kind: event.involvedObject.kind ?? '', name: event.involvedObject.name ?? '' },
    count: event.count ?? 1,
    firstSeen: at(event.firstTimestamp ?? event.eventTime),
    lastSeen: at(event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp),
    source: event.source?.component ?? event.reportingComponent ?? null,
  };
}

/** Objects of the app: the ones named after it, and those named `<app>-...` (ReplicaSets, pods). */
export function isAppObject(app: string, name: string | undefined): boolean {
  return name === app || (name?.startsWith(`${app}-`) ?? false);
}
