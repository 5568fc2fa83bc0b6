import type { KubeObject } from '../../../core/kube-object';
import { Kinds, type ResourceKind } from '../../../core/resource-kinds';
import { isCustomResource } from '../kind-traits';
import {
  AGE_COLUMN,
  column,
  CONTAINERS_COLUMN,
  CREATED_AT_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  type TableColumn,
} from './columns';
import { CRD_PRINTERS, DEFAULT_CRD_PRINTER } from './crd-printers';
import { EVENT_COLUMNS, eventRow } from './event-printer';
import { ageOf } from './human-duration';
import { podRow, POD_COLUMNS } from './pod-printer';

/** One row's cells and the conditions the printers attach (a finished pod is `Completed`). */
export interface PrintedRow {
  cells: unknown[];
  conditions?: Array<{ type: string; status: string; reason: string; message: string }>;
}

/** How the API server prints one kind into Table rows. */
export interface Printer {
  columns: TableColumn[];
  row(object: KubeObject, now: number): PrintedRow;
}

/**
 * The printers of kube-apiserver (kubernetes/kubernetes pkg/printers/internalversion/printers.go)
 * for the built-in kinds the sandbox serves most; the others get the registry's default convertor
 * (apiserver pkg/registry/rest/table.go: Name, Created At), and custom resources the one
 * apiextensions-apiserver uses for a CRD without printer columns (Name, Age from creationTimestamp).
 */
export function printerFor(kind: ResourceKind): Printer {
  const printer = PRINTERS.get(kind);
  if (printer !== undefined) return printer;
  if (!isCustomResource(kind)) return DEFAULT;
  return CRD_PRINTERS.get(kind) ?? DEFAULT_CRD_PRINTER;
}

const DEFAULT: Printer = {
  columns: [NAME_COLUMN, CREATED_AT_COLUMN],
  row: (o) => ({ cells: [o.metadata.name ?? '', formatRfc3339(o.metadata.creationTimestamp)] }),
};

interface Workload {
  spec?: {
    replicas?: number;
    selector?: LabelSelectorSpec;
    template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
}

interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

const SELECTOR_DOC =
  "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.";

const DEPLOYMENT: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'Number of the pod with ready state'),
    column(
      'Up-to-date',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    column(
      'Available',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', SELECTOR_DOC, { priority: 1 }),
  ],
  row: (o, now) => {
    const { spec = {}, status = {} } = o as Workload;
    const [names, images] = containerCells(spec);
    return {
      cells: [
        o.metadata.name ?? '',
        `${status.readyReplicas ?? 0}/${spec.replicas ?? 0}`,
        status.updatedReplicas ?? 0,
        status.availableReplicas ?? 0,
        ageOf(o.metadata.creationTimestamp, now),
        names,
        images,
        formatSelector(spec.selector),
      ],
    };
  },
};

const REPLICA_SET: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'Replicas is the number of desired pods.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    column('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column('Selector', 'Selector is a label query over pods that should match the replica count.', {
      priority: 1,
    }),
  ],
  row: (o, now) => {
    const { spec = {}, status = {} } = o as Workload;
    const [names, images] = containerCells(spec);
    return {
      cells: [
        o.metadata.name ?? '',
        spec.replicas ?? 0,
        status.replicas ?? 0,
        status.readyReplicas ?? 0,
        ageOf(o.metadata.creationTimestamp, now),
        names,
        images,
        formatSelector(spec.selector),
      ],
    };
  },
};

const NAMESPACE: Printer = {
  columns: [NAME_COLUMN, column('Status', 'The status of the namespace'), AGE_COLUMN],
  row: (o, now) => {
    const phase = (o.status as { phase?: string } | undefined)?.phase ?? '';
    return { cells: [o.metadata.name ?? '', phase, ageOf(o.metadata.creationTimestamp, now)] };
  },
};

const PRINTERS = new Map<ResourceKind, Printer>([
  [Kinds.Pod, { columns: POD_COLUMNS, row: podRow }],
  [Kinds.Event, { columns: EVENT_COLUMNS, row: eventRow }],
  [Kinds.Deployment, DEPLOYMENT],
  [Kinds.ReplicaSet, REPLICA_SET],
  [Kinds.Namespace, NAMESPACE],
]);

/** The printers' `layoutContainerCells`: container names and images, comma-separated. */
function containerCells(spec: NonNullable<Workload['spec']>): [string, string] {
  const containers = spec.template?.spec?.containers ?? [];
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(',')];
}

/** `metav1.LabelSelectorAsSelector(s).String()`: requirements sorted by key. */
function formatSelector(selector: LabelSelectorSpec | undefined): string {
  if (selector === undefined) return '';
  const parts: Array<[string, string]> = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => [
    k,
    `${k}=${v}`,
  ]);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const list = [...values].sort().join(',');
    const text =
      operator === 'In'
        ? `${key} in (${list})`
        : operator === 'NotIn'
          ? `${key} notin (${list})`
          : operator === 'Exists'
            ? key
            : `!${key}`;
    parts.push([key, text]);
  }
  return parts
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}

/** Go's `Time.UTC().Format(time.RFC3339)`: whole seconds. */
function formatRfc3339(timestamp: string | undefined): string {
  if (timestamp === undefined) return '0001-01-01T00:00:00Z';
  return new Date(timestamp).toISOString().replace(/\.\d+Z$/, 'Z');
}
