import type { KubeObject } from '../../core/kube-object';
import { apiVersionOf, Kinds, type ResourceKind } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { allowsUnconditionalUpdate, hasStatusSubresource } from './kind-traits';
import { applyPatch, type PatchType } from './patch';
import { type FieldError, KubeApiError } from './status';
import { validateObject } from './validation';

/** Where a write goes: one object, or its `/status` subresource. */
export interface ObjectRef {
  kind: ResourceKind;
  namespace: string | undefined;
  name: string;
  subresource?: 'status' | 'log';
}

/** POST to a collection: 201 with the stored object. */
export function createObject(
  ctx: SandboxContext,
  kind: ResourceKind,
  namespace: string | undefined,
  body: unknown,
): KubeObject {
  const object = asObject(body);
  checkApiVersion(kind, object);
  const meta = object.metadata;
  if (kind.namespaced) {
    const ns = namespace ?? meta.namespace ?? 'default';
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== ns) {
      throw KubeApiError.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    meta.namespace = ns;
    if (ctx.store.get(Kinds.Namespace, undefined, ns) === undefined)
      throw KubeApiError.notFound(Kinds.Namespace, ns);
  }
  if ((meta.name ?? '') === '' && (meta.generateName ?? '') === '') {
    const required: FieldError = {
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
      field: 'metadata.name',
    };
    throw KubeApiError.invalid(kind, '', [required]);
  }
  validateObject(kind, (meta.name ?? '') === '' ? withName(object, `${meta.generateName ?? ''}x`) : object);
  delete meta.resourceVersion;
  applyCreateDefaults(kind, object);
  return ctx.store.create(kind, object);
}

/** PUT: optimistic concurrency on `metadata.resourceVersion` (409 when stale). */
export function updateObject(ctx: SandboxContext, ref: ObjectRef, body: unknown): KubeObject {
  const object = asObject(body);
  checkApiVersion(ref.kind, object);
  if (object.metadata.name !== ref.name) {
    throw KubeApiError.badRequest(
      `the name of the object (${object.metadata.name ?? ''}) does not match the name on the URL (${ref.name})`,
    );
  }
  if (ref.kind.namespaced) {
    if ((object.metadata.namespace ?? '') !== '' && object.metadata.namespace !== ref.namespace) {
      throw KubeApiError.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    object.metadata.namespace = ref.namespace;
  }
  const current = mustGet(ctx, ref);
  if (!allowsUnconditionalUpdate(ref.kind) && (object.metadata.resourceVersion ?? '') === '') {
    throw KubeApiError.invalid(ref.kind, ref.name, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 0x0: must be specified for an update',
        field: 'metadata.resourceVersion',
      },
    ]);
  }
  return store(ctx, ref, current, object);
}

/** PATCH in one of the accepted formats; a `metadata.resourceVersion` in the patch is checked. */
export function patchObject(
  ctx: SandboxContext,
  ref: ObjectRef,
  type: PatchType,
  patch: unknown,
): KubeObject {
  const current = mustGet(ctx, ref);
  const patched = applyPatch(type, current, patch);
  const object = asObject(patched, 'the patch produced something that is not an object');
  // Identity fields cannot be patched away.
  object.metadata.name = current.metadata.name;
  object.metadata.namespace = current.metadata.namespace;
  object.metadata.uid = current.metadata.uid;
  return store(ctx, ref, current, object);
}

/** DELETE with optional preconditions; returns the object and whether it is really gone. */
export function deleteObject(
  ctx: SandboxContext,
  ref: ObjectRef,
  body: unknown,
): { object: KubeObject; gone: boolean } {
  const current = mustGet(ctx, ref);
  checkPreconditions(ref, current, body);
  if (ref.kind === Kinds.Namespace) {
    // The namespace controller empties a deleted namespace; here that happens at once.
    for (const kind of Object.values(Kinds)) {
      if (!kind.namespaced) continue;
      for (const item of ctx.store.list(kind, { namespace: ref.name }).items) {
        deleteObject(ctx, { kind, namespace: ref.name, name: item.metadata.name ?? '' }, undefined);
      }
    }
  }
  const object = ctx.store.delete(ref.kind, ref.namespace, ref.name);
  const gone = ctx.store.get(ref.kind, ref.namespace, ref.name) === undefined;
  if (gone && ref.kind === Kinds.Pod) ctx.logs.deletePod(ref.namespace ?? '', ref.name);
  return { object, gone };
}

function store(ctx: SandboxContext, ref: ObjectRef, current: KubeObject, input: KubeObject): KubeObject {
  let object = input;
  if (ref.subresource === 'status') {
    // Only status changes through /status; the version check still applies.
    object = { ...current, status: input.status };
    object.metadata = { ...current.metadata, resourceVersion: input.metadata.resourceVersion };
  } else if (hasStatusSubresource(ref.kind)) {
    object.status = current.status;
    if (current.status === undefined) delete object.status;
  }
  validateObject(ref.kind, object);
  return ctx.store.update(ref.kind, object);
}

function mustGet(ctx: SandboxContext, ref: ObjectRef): KubeObject {
  const current = ctx.store.get(ref.kind, ref.namespace, ref.name);
  if (current === undefined) throw KubeApiError.notFound(ref.kind, ref.name);
  return current;
}

function asObject(body: unknown, message = 'the body of the request must be a JSON object'): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw KubeApiError.badRequest(message);
  const object = body as KubeObject;
  const meta: unknown = object.metadata;
  if (meta === undefined || meta === null) object.metadata = {};
  else if (typeof meta !== 'object' || Array.isArray(meta))
    throw KubeApiError.badRequest('metadata must be an object');
  return object;
}

function withName(object: KubeObject, name: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, name } };
}

function checkApiVersion(kind: ResourceKind, object: KubeObject): void {
  const expected = apiVersionOf(kind);
  if (object.apiVersion !== undefined && object.apiVersion !== '' && object.apiVersion !== expected) {
    throw KubeApiError.badRequest(
      `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
}

/** What the API server sets on create: status is the server's, not the client's. */
function applyCreateDefaults(kind: ResourceKind, object: KubeObject): void {
  if (hasStatusSubresource(kind)) delete object.status;
  if (kind === Kinds.Pod) object.status = { phase: 'Pending', qosClass: 'BestEffort' };
  if (kind === Kinds.Namespace) {
    object.metadata.labels = {
      ...object.metadata.labels,
      'kubernetes.io/metadata.name': object.metadata.name ?? '',
    };
    object.spec = { finalizers: ['kubernetes'] };
    object.status = { phase: 'Active' };
  }
}

function checkPreconditions(ref: ObjectRef, current: KubeObject, body: unknown): void {
  const preconditions = (body as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined)
    ?.preconditions;
  const { uid, resourceVersion } = preconditions ?? {};
  const conflict = (what: string, expected: string, actual: string | undefined): KubeApiError =>
    KubeApiError.conflict(
      ref.kind,
      ref.name,
      `Precondition failed: ${what} in precondition: ${expected}, ${what} in object meta: ${actual ?? ''}`,
    );
  if (uid !== undefined && uid !== current.metadata.uid) throw conflict('UID', uid, current.metadata.uid);
  if (resourceVersion !== undefined && resourceVersion !== current.metadata.resourceVersion) {
    throw conflict('ResourceVersion', resourceVersion, current.metadata.resourceVersion);
  }
}
