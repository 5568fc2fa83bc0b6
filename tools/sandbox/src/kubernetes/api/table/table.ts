import type { KubeObject } from '../../../core/kube-object';
import { apiVersionOf, type ResourceKind } from '../../../core/resource-kinds';
import { failureStatus, KubeApiError } from '../status';
import type { TableColumn } from './columns';
import { printerFor } from './printers';

/** How a GET answers: the objects themselves, or a meta.k8s.io Table of them. */
export type Representation =
  { as: 'objects' } | { as: 'table'; groupVersion: string; includeObject: 'Object' | 'Metadata' | 'None' };

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions?: TableColumn[];
  rows: Array<{ cells: unknown[]; conditions?: unknown[]; object: unknown }>;
}

const TABLE_VERSIONS = new Set(['v1', 'v1beta1']);

/**
 * Picks the answer's form from `Accept` the way the API server's negotiation does
 * (apiserver pkg/endpoints/handlers/negotiation): the first acceptable media type wins;
 * `application/json;as=Table;g=meta.k8s.io;v=v1|v1beta1` asks for a Table (what kubectl get
 * sends first). Nothing acceptable is 406. The sandbox serves JSON only.
 */
export function negotiate(accept: string | undefined, query: URLSearchParams): Representation {
  if (accept === undefined || accept.trim() === '') return { as: 'objects' };
  for (const clause of accept.split(',')) {
    const [type = '', ...rawParams] = clause.split(';').map((part) => part.trim());
    const params = new Map(
      rawParams.map((p) => {
        const eq = p.indexOf('=');
        return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as const;
      }),
    );
    if (!['application/json', 'application/*', '*/*'].includes(type.toLowerCase())) continue;
    const as = params.get('as');
    if (as === undefined) return { as: 'objects' };
    const version = params.get('v') ?? '';
    if (as === 'Table' && params.get('g') === 'meta.k8s.io' && TABLE_VERSIONS.has(version)) {
      return { as: 'table', groupVersion: `meta.k8s.io/${version}`, includeObject: includeObject(query) };
    }
  }
  throw new KubeApiError(
    failureStatus(406, 'NotAcceptable', 'only the following media types are accepted: application/json'),
  );
}

function includeObject(query: URLSearchParams): 'Object' | 'Metadata' | 'None' {
  const value = query.get('includeObject') ?? '';
  if (value === '') return 'Metadata';
  if (value === 'Object' || value === 'Metadata' || value === 'None') return value;
  throw KubeApiError.badRequest(`unrecognized includeObject value: "${value}"`);
}

/**
 * Prints objects into a Table as `asTable` does (apiserver pkg/endpoints/handlers/response.go):
 * every column, the wide ones included (kubectl hides them unless `-o wide`), and per row the
 * object, its metadata alone (the default) or nothing. A watch sends the column definitions
 * with its first event only.
 */
export function toTable(
  kind: ResourceKind,
  objects: readonly KubeObject[],
  metadata: Table['metadata'],
  representation: Extract<Representation, { as: 'table' }>,
  withHeaders = true,
): Table {
  const printer = printerFor(kind);
  const now = Date.now();
  const table: Table = {
    kind: 'Table',
    apiVersion: representation.groupVersion,
    metadata,
    rows: objects.map((object) => ({
      ...printer.row(object, now),
      object: rowObject(kind, object, representation),
    })),
  };
  if (withHeaders) table.columnDefinitions = printer.columns;
  return table;
}

function rowObject(
  kind: ResourceKind,
  object: KubeObject,
  representation: Extract<Representation, { as: 'table' }>,
): unknown {
  switch (representation.includeObject) {
    case 'None':
      return null;
    case 'Object':
      return { ...object, apiVersion: apiVersionOf(kind), kind: kind.kind };
    case 'Metadata':
      return {
        kind: 'PartialObjectMetadata',
        apiVersion: representation.groupVersion,
        metadata: object.metadata,
      };
  }
}
