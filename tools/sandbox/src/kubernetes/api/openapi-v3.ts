import { createHash } from 'node:crypto';
import { ALL_KINDS, type ResourceKind } from '../../core/resource-kinds';
import { isCustomResource } from './kind-traits';

/**
 * The API server's OpenAPI v3 documents (`/openapi/v3` and one per group-version), reduced to
 * what the sandbox serves: its paths and operations with their query parameters and the
 * `x-kubernetes-group-version-kind` / `x-kubernetes-action` extensions clients read. kubectl reads
 * them to learn that the server validates fields itself (`fieldValidation` on PATCH) and which
 * patch types a kind takes (strategic merge only for built-in kinds). The sandbox has no schemas
 * to offer, so `components.schemas` is empty: kubectl then computes strategic merge patches from
 * its compiled-in types, as it does for any type a document lacks.
 */
export function openApiIndex(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of groupVersions()) {
    const prefix = groupVersionPath(group, version);
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiDocument(group, version)))
      .digest('hex');
    paths[prefix] = { serverRelativeURL: `/openapi/v3/${prefix}?hash=${hash.toUpperCase()}` };
  }
  return { paths };
}

/** The document of one group-version, or undefined when the sandbox serves none. */
export function openApiDocument(group: string, version: string): Record<string, unknown> | undefined {
  const kinds = ALL_KINDS.filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const kind of kinds) Object.assign(paths, kindPaths(kind));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.31.0+sandbox' },
    paths,
    components: { schemas: {} },
  };
}

function groupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const { group, version } of ALL_KINDS) seen.set(`${group}/${version}`, { group, version });
  return [...seen.values()];
}

function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

const query = (name: string, description: string): Record<string, unknown> => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});
const DRY_RUN = query('dryRun', 'When present, indicates that modifications should not be persisted.');
const FIELD_MANAGER = query(
  'fieldManager',
  'fieldManager is a name associated with the actor or entity that is making these changes.',
);
const FIELD_VALIDATION = query(
  'fieldValidation',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
);
const JSON_BODY = { content: { '*/*': { schema: {} } }, required: true };

function kindPaths(kind: ResourceKind): Record<string, unknown> {
  const base = `/${groupVersionPath(kind.group, kind.version)}${kind.namespaced ? '/namespaces/{namespace}' : ''}/${kind.plural}`;
  const gvk = { group: kind.group, kind: kind.kind, version: kind.version };
  const op = (action: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    operationId: `${action}${kind.kind}`,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const patchTypes = [
    'application/json-patch+json',
    'application/merge-patch+json',
    ...(isCustomResource(kind) ? [] : ['application/strategic-merge-patch+json']),
  ];
  return {
    [base]: {
      get: op('list'),
      post: op('post', { parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], requestBody: JSON_BODY }),
      delete: op('deletecollection'),
    },
    [`${base}/{name}`]: {
      get: op('get'),
      put: op('put', { parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], requestBody: JSON_BODY }),
      patch: op('patch', {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: {
          content: Object.fromEntries(patchTypes.map((t) => [t, { schema: {} }])),
          required: true,
        },
      }),
      delete: op('delete'),
    },
  };
}
