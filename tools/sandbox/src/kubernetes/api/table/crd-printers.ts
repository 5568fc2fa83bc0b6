import type { KubeObject } from '../../../core/kube-object';
import { Kinds, type ResourceKind } from '../../../core/resource-kinds';
import { AGE_COLUMN, NAME_COLUMN, type TableColumn } from './columns';
import { ageOf } from './human-duration';
import type { Printer } from './printers';

/** A CRD's additionalPrinterColumn, with its JSONPath as a dotted path. */
interface PrinterColumn {
  name: string;
  type: 'string' | 'date';
  path: string;
  format?: string;
  description?: string;
  priority?: number;
}

/**
 * The printer apiextensions-apiserver builds from a CRD's additionalPrinterColumns
 * (pkg/registry/customresource/tableconvertor): Name, then each column's value at its JSONPath,
 * `date` columns as an age, a missing value as null; a CRD without columns gets Age from
 * creationTimestamp.
 */
export function crdPrinter(columns: PrinterColumn[]): Printer {
  const definitions: TableColumn[] = [
    NAME_COLUMN,
    ...columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? `Custom resource definition column (in JSONPath format): .${c.path}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns: definitions,
    row: (object, now) => ({
      cells: [
        object.metadata.name ?? '',
        ...columns.map((c) => {
          const value = valueAt(object, c.path);
          if (typeof value !== 'string') return null;
          return c.type === 'date' ? ageOf(value, now) : value;
        }),
      ],
    }),
  };
}

function valueAt(object: KubeObject, path: string): unknown {
  let node: unknown = object;
  for (const segment of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[segment];
  return node;
}

/** The printer columns of the Argo CRDs the sandbox serves, as their CRDs declare them. */
export const CRD_PRINTERS = new Map<ResourceKind, Printer>([
  [
    // argoproj/argo-workflows pkg/apis/workflow/v1alpha1/workflow_types.go (kubebuilder:printcolumn)
    Kinds.Workflow,
    crdPrinter([
      { name: 'Status', type: 'string', path: 'status.phase', description: 'Status of the workflow' },
      {
        name: 'Age',
        type: 'date',
        path: 'status.startedAt',
        format: 'date-time',
        description: 'When the workflow was started',
      },
      {
        name: 'Message',
        type: 'string',
        path: 'status.message',
        description: 'Human readable message indicating details about why the workflow is in this condition.',
      },
    ]),
  ],
  [
    // argoproj/argo-cd manifests/crds/application-crd.yaml
    Kinds.Application,
    crdPrinter([
      { name: 'Sync Status', type: 'string', path: 'status.sync.status' },
      { name: 'Health Status', type: 'string', path: 'status.health.status' },
      { name: 'Revision', type: 'string', path: 'status.sync.revision', priority: 10 },
      { name: 'Project', type: 'string', path: 'spec.project', priority: 10 },
    ]),
  ],
]);

/** A CRD without printer columns. */
export const DEFAULT_CRD_PRINTER = crdPrinter([
  { name: 'Age', type: 'date', path: 'metadata.creationTimestamp', description: AGE_COLUMN.description },
]);
