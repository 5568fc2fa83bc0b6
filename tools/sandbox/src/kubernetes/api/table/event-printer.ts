import type { KubeObject } from '../../../core/kube-object';
import { column, NAME_COLUMN, type TableColumn } from './columns';
import { ageOf } from './human-duration';
import type { PrintedRow } from './printers';

export const EVENT_COLUMNS: TableColumn[] = [
  column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column(
    'Reason',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column('Object', 'The object that this event is about.'),
  column(
    'Subobject',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
    { priority: 1 },
  ),
  column('Source', 'The component reporting this event. Should be a short machine understandable string.', {
    priority: 1,
  }),
  column('Message', 'A human-readable description of the status of this operation.'),
  column(
    'First Seen',
    'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
    { priority: 1 },
  ),
  column('Count', 'The number of times this event has occurred.', { priority: 1 }),
  { ...NAME_COLUMN, priority: 1 },
];

interface EventShape {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

/**
 * kube-apiserver's `printEvent` (kubernetes/kubernetes pkg/printers/internalversion/printers.go):
 * last seen falls back to first seen, which falls back to eventTime; a series counts itself;
 * the object is `kind/name` in lower case; the source is `component, host`.
 */
export function eventRow(object: KubeObject, now: number): PrintedRow {
  const event = object as KubeObject & EventShape;
  const first = event.firstTimestamp ? ageOf(event.firstTimestamp, now) : ageOf(event.eventTime, now);
  let last = event.lastTimestamp ? ageOf(event.lastTimestamp, now) : first;
  let count = event.count ?? 0;
  if (event.series !== undefined) {
    last = ageOf(event.series.lastObservedTime, now);
    count = event.series.count ?? 0;
  } else if (count === 0) {
    count = 1;
  }
  const kind = (event.involvedObject?.kind ?? '').toLowerCase();
  const name = event.involvedObject?.name ?? '';
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return {
    cells: [
      last,
      event.type ?? '',
      event.reason ?? '',
      name === '' ? kind : `${kind}/${name}`,
      event.involvedObject?.fieldPath ?? '',
      instance === '' ? component : `${component}, ${instance}`,
      (event.message ?? '').trim(),
      first,
      count,
      object.metadata.name ?? '',
    ],
  };
}
