import type { ServerResponse } from 'node:http';
import { Kinds, type ResourceKind } from '../../core/resource-kinds';
import { failureStatus, KubeApiError } from './status';

/** `?fieldValidation=` of create, update and patch: what happens to fields the type does not have. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

const DIRECTIVES: FieldValidation[] = ['Ignore', 'Strict', 'Warn'];

const OBJECT_META = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/** Top-level fields of the built-in types the sandbox checks (their spec/status are not). */
const TOP_LEVEL = new Map<ResourceKind, string[]>([
  [Kinds.Namespace, ['spec', 'status']],
  [Kinds.Pod, ['spec', 'status']],
  [Kinds.Service, ['spec', 'status']],
  [Kinds.Deployment, ['spec', 'status']],
  [Kinds.ReplicaSet, ['spec', 'status']],
  [Kinds.Lease, ['spec']],
  [Kinds.ConfigMap, ['data', 'binaryData', 'immutable']],
  [Kinds.Secret, ['data', 'stringData', 'type', 'immutable']],
  [Kinds.ServiceAccount, ['secrets', 'imagePullSecrets', 'automountServiceAccountToken']],
]);

/**
 * Reads `fieldValidation` as the API server does (Warn when absent); another value is the 422 of
 * the request's options (apimachinery ValidateFieldValidation).
 */
export function fieldValidationOf(
  query: URLSearchParams,
  options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
): FieldValidation {
  const value = query.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if ((DIRECTIVES as string[]).includes(value)) return value as FieldValidation;
  throw new KubeApiError(
    failureStatus(
      422,
      'Invalid',
      `${options}.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "${value}": supported values: ${DIRECTIVES.map((d) => `"${d}"`).join(', ')}`,
      {
        group: 'meta.k8s.io',
        kind: options,
        causes: [
          {
            reason: 'FieldValueNotSupported',
            message: `Unsupported value: "${value}": supported values: ${DIRECTIVES.map((d) => `"${d}"`).join(', ')}`,
            field: 'fieldValidation',
          },
        ],
      },
    ),
  );
}

/**
 * Unknown fields of a body (ObjectMeta's, and the top level of the built-in types above), handled
 * as the directive says: Strict refuses them with the decoder's 400 "strict decoding error", Warn
 * drops them with a `Warning` header each, Ignore drops them silently.
 */
export function handleUnknownFields(
  kind: ResourceKind,
  body: unknown,
  directive: FieldValidation,
  res: ServerResponse,
): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const object = body as Record<string, unknown>;
  const unknown: string[] = [];
  const topLevel = TOP_LEVEL.get(kind);
  if (topLevel !== undefined) {
    for (const key of Object.keys(object)) {
      if (!['apiVersion', 'kind', 'metadata', ...topLevel].includes(key)) unknown.push(key);
    }
  }
  const metadata = object.metadata;
  if (typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)) {
    for (const key of Object.keys(metadata)) if (!OBJECT_META.has(key)) unknown.push(`metadata.${key}`);
  }
  if (unknown.length === 0) return;
  if (directive === 'Strict') {
    const list = unknown.map((field) => `unknown field "${field}"`).join(', ');
    throw KubeApiError.badRequest(`strict decoding error: ${list}`);
  }
  if (directive === 'Warn') {
    res.setHeader(
      'warning',
      unknown.map((field) => `299 - ${JSON.stringify(`unknown field "${field}"`)}`),
    );
  }
  for (const field of unknown) {
    if (field.startsWith('metadata.'))
      delete (metadata as Record<string, unknown>)[field.slice('metadata.'.length)];
    else delete object[field];
  }
}
