import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson, readText, sendJson } from '../../core/http-kit';
import { apiVersionOf } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import type { ResourceTarget } from './api-path';
import { isCustomResource, listKindOf, returnsDeletedObject } from './kind-traits';
import { asListItem, listObjects } from './list';
import { createObject, deleteObject, type ObjectRef, patchObject, updateObject } from './object-writes';
import { fieldValidationOf, handleUnknownFields } from './field-validation';
import { patchTypeOf } from './patch';
import { servePodLog } from './pod-log';
import { flag, selectors } from './query';
import {
  failureStatus,
  KubeApiError,
  METHOD_NOT_ALLOWED,
  objectDetails,
  PATH_NOT_FOUND,
  sendStatus,
} from './status';
import { negotiate, toTable } from './table/table';
import { serveWatch } from './watch';

/** Everything a request to a resource path needs to be served. */
export interface ResourceRequest {
  ctx: SandboxContext;
  req: IncomingMessage;
  res: ServerResponse;
  target: ResourceTarget;
  method: string;
  query: URLSearchParams;
  bookmarkIntervalMs: number;
}

/**
 * The body of a create or update. The sandbox decodes JSON only: a protobuf body (what kubectl's
 * typed commands such as `kubectl create namespace` send) or YAML is 415 with what it accepts,
 * rather than misread. No Content-Type means JSON, as on the real server.
 */
async function readObjectBody(req: IncomingMessage): Promise<unknown> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== '' && mediaType !== 'application/json') {
    throw new KubeApiError(
      failureStatus(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json',
      ),
    );
  }
  return readJson(req);
}

/** Serves a resource path: a collection or one object (with its `/status` or `/log`). */
export async function serveResource(request: ResourceRequest): Promise<void> {
  return request.target.name === undefined
    ? serveCollection(request)
    : serveObject(request, request.target.name);
}

/** list, watch, create, deletecollection; cluster-wide paths of namespaced kinds only list and watch. */
async function serveCollection({
  ctx,
  req,
  res,
  target,
  method,
  query,
  bookmarkIntervalMs,
}: ResourceRequest) {
  const { kind, namespace } = target;
  const clusterWide = kind.namespaced && namespace === undefined;
  if (method === 'GET' && (target.watchPrefix || flag(query, 'watch'))) {
    const representation = negotiate(req.headers.accept, query);
    return serveWatch(ctx, req, res, { kind, namespace, representation }, query, bookmarkIntervalMs);
  }
  if (target.watchPrefix) return sendStatus(res, METHOD_NOT_ALLOWED);
  if (method === 'GET') {
    const representation = negotiate(req.headers.accept, query);
    const list = listObjects(ctx, kind, namespace, query);
    if (representation.as === 'objects') return sendJson(res, 200, list);
    return sendJson(res, 200, toTable(kind, list.items, list.metadata, representation));
  }
  if (clusterWide) return sendStatus(res, METHOD_NOT_ALLOWED);
  if (method === 'POST') {
    const body = await readObjectBody(req);
    handleUnknownFields(kind, body, fieldValidationOf(query, 'CreateOptions'), res);
    return sendJson(res, 201, createObject(ctx, kind, namespace, body));
  }
  if (method !== 'DELETE') return sendStatus(res, METHOD_NOT_ALLOWED);
  const deleted = ctx.store
    .list(kind, { namespace, ...selectors(query) })
    .items.map(
      (item) => deleteObject(ctx, { kind, namespace, name: item.metadata.name ?? '' }, undefined).object,
    );
  return sendJson(res, 200, {
    kind: listKindOf(kind),
    apiVersion: apiVersionOf(kind),
    metadata: { resourceVersion: ctx.store.resourceVersion },
    items: deleted.map((o) => asListItem(kind, o)),
  });
}

/** get, update, patch, delete of one object; `/status` takes all but delete, `/log` only get. */
async function serveObject({ ctx, req, res, target, method, query }: ResourceRequest, name: string) {
  const { kind, namespace, subresource } = target;
  if (target.watchPrefix) return sendStatus(res, PATH_NOT_FOUND);
  const ref: ObjectRef = { kind, namespace, name, subresource };
  if (subresource === 'log') {
    if (method !== 'GET') return sendStatus(res, METHOD_NOT_ALLOWED);
    return servePodLog(ctx, req, res, namespace ?? '', name, query);
  }
  switch (method) {
    case 'GET': {
      const representation = negotiate(req.headers.accept, query);
      const object = ctx.store.get(kind, namespace, name);
      if (object === undefined) throw KubeApiError.notFound(kind, name);
      if (representation.as === 'objects') return sendJson(res, 200, object);
      const { resourceVersion } = object.metadata;
      return sendJson(res, 200, toTable(kind, [object], { resourceVersion }, representation));
    }
    case 'PUT': {
      const body = await readObjectBody(req);
      handleUnknownFields(kind, body, fieldValidationOf(query, 'UpdateOptions'), res);
      return sendJson(res, 200, updateObject(ctx, ref, body));
    }
    case 'PATCH': {
      const type = patchTypeOf(req.headers['content-type'], isCustomResource(kind));
      const text = await readText(req);
      const patch: unknown = JSON.parse(text === '' ? 'null' : text);
      // A JSON patch is a list of operations: its result is checked by the object's validation.
      if (type !== 'json') handleUnknownFields(kind, patch, fieldValidationOf(query, 'PatchOptions'), res);
      return sendJson(res, 200, patchObject(ctx, ref, type, patch));
    }
    case 'DELETE': {
      if (subresource !== undefined) return sendStatus(res, METHOD_NOT_ALLOWED);
      const { object, gone } = deleteObject(ctx, ref, await readJson(req));
      // Finalizers hold it: 202 with the object marked for deletion.
      if (!gone) return sendJson(res, 202, object);
      if (returnsDeletedObject(kind)) return sendJson(res, 200, object);
      return sendJson(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { ...objectDetails(kind, name), uid: object.metadata.uid },
      });
    }
    default:
      return sendStatus(res, METHOD_NOT_ALLOWED);
  }
}
