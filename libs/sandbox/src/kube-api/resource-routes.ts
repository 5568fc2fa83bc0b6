import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson, readText, sendJson } from '../core/http-kit';
import { apiVersionOf } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import type { ResourceTarget } from './api-path';
import { listKindOf, returnsDeletedObject } from './kind-traits';
import { asListItem, listObjects } from './list';
import { createObject, deleteObject, type ObjectRef, patchObject, updateObject } from './object-writes';
import { patchTypeOf } from './patch';
import { servePodLog } from './pod-log';
import { flag, selectors } from './query';
import { KubeApiError, METHOD_NOT_ALLOWED, objectDetails, PATH_NOT_FOUND, sendStatus } from './status';
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
    return serveWatch(ctx, req, res, { kind, namespace }, query, bookmarkIntervalMs);
  }
  if (target.watchPrefix) return sendStatus(res, METHOD_NOT_ALLOWED);
  if (method === 'GET') return sendJson(res, 200, listObjects(ctx, kind, namespace, query));
  if (clusterWide) return sendStatus(res, METHOD_NOT_ALLOWED);
  if (method === 'POST') return sendJson(res, 201, createObject(ctx, kind, namespace, await readJson(req)));
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
      const object = ctx.store.get(kind, namespace, name);
      if (object === undefined) throw KubeApiError.notFound(kind, name);
      return sendJson(res, 200, object);
    }
    case 'PUT':
      return sendJson(res, 200, updateObject(ctx, ref, await readJson(req)));
    case 'PATCH': {
      const type = patchTypeOf(req.headers['content-type']);
      const text = await readText(req);
      return sendJson(res, 200, patchObject(ctx, ref, type, JSON.parse(text === '' ? 'null' : text)));
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
