import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, readJson, readText, sendJson, sendText } from '../core/http-kit';
import type { SandboxContext } from '../core/sandbox-context';
import { type ApiTarget, parseApiPath, type ResourceTarget } from './api-path';
import { apiGroup, apiGroupList, apiResourceList, coreApiVersions, versionInfo } from './discovery';
import { listKindOf, returnsDeletedObject } from './kind-traits';
import { asListItem, listObjects } from './list';
import { createObject, deleteObject, type ObjectRef, patchObject, updateObject } from './object-writes';
import { patchTypeOf } from './patch';
import { servePodLog } from './pod-log';
import { flag, selectors } from './query';
import {
  faultStatus,
  KubeApiError,
  METHOD_NOT_ALLOWED,
  objectDetails,
  PATH_NOT_FOUND,
  sendStatus,
  statusOf,
  UNAUTHORIZED,
} from './status';
import { serveWatch } from './watch';

/** Options of the sandbox's Kubernetes API server. */
export interface KubeApiOptions {
  /** When set, every request must carry `Authorization: Bearer <token>` (401 Status otherwise). */
  token?: string;
  /** Interval of BOOKMARK events on watches that allow them (60 s by default, like the server). */
  bookmarkIntervalMs?: number;
}

/**
 * The sandbox's Kubernetes API server over `ctx.store`: discovery, list/watch with selectors,
 * paging and bookmarks, CRUD with optimistic concurrency, patches, `/status` and pod logs,
 * answering errors with Status objects exactly as kube-apiserver does.
 */
export function kubeApiHandler(ctx: SandboxContext, options: KubeApiOptions = {}): http.RequestListener {
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 60_000;
  return (req, res) => {
    handle(ctx, options, bookmarkIntervalMs, req, res).catch((error: unknown) => {
      // A stream that already started cannot carry a Status any more: cut it.
      if (res.headersSent) req.socket.destroy();
      else sendStatus(res, statusOf(error));
    });
  };
}

async function handle(
  ctx: SandboxContext,
  options: KubeApiOptions,
  bookmarkIntervalMs: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  res.setHeader('audit-id', randomUUID());
  res.setHeader('cache-control', 'no-cache, private');
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const target = parseApiPath(url.pathname);
  if (!authenticated(req, options, target)) return sendStatus(res, UNAUTHORIZED);
  await ctx.faults.delay('kube');
  if (target === undefined) return sendStatus(res, PATH_NOT_FOUND);
  const method = req.method ?? 'GET';
  const query = url.searchParams;
  if (!isStream(target, method, query) && ctx.faults.shouldFail('kube')) {
    const status = faultStatus(ctx.faults.get('kube').errorCode ?? 500);
    if (status.code === 429) res.setHeader('retry-after', '1');
    return sendStatus(res, status);
  }
  if (target.type === 'resource')
    return serveResource(ctx, req, res, target, method, query, bookmarkIntervalMs);
  if (method !== 'GET') return sendStatus(res, METHOD_NOT_ALLOWED);
  switch (target.type) {
    case 'version':
      return sendJson(res, 200, versionInfo());
    case 'health':
      return sendText(res, 200, 'ok', 'text/plain; charset=utf-8');
    case 'coreVersions':
      return sendJson(res, 200, coreApiVersions(req.headers.host ?? ''));
    case 'groupList':
      return sendJson(res, 200, apiGroupList());
    case 'group':
      return sendJson(res, 200, apiGroup(target.group));
    case 'resourceList':
      return sendJson(res, 200, apiResourceList(target.group, target.version));
  }
}

async function serveResource(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: ResourceTarget,
  method: string,
  query: URLSearchParams,
  bookmarkIntervalMs: number,
): Promise<void> {
  const { kind, namespace, name, subresource } = target;
  if (name === undefined) {
    const clusterWide = kind.namespaced && namespace === undefined;
    if (method === 'GET' && (target.watchPrefix || flag(query, 'watch'))) {
      return serveWatch(ctx, req, res, { kind, namespace }, query, bookmarkIntervalMs);
    }
    if (target.watchPrefix) return sendStatus(res, METHOD_NOT_ALLOWED);
    if (method === 'GET') return sendJson(res, 200, listObjects(ctx, kind, namespace, query));
    if (method === 'POST' && !clusterWide)
      return sendJson(res, 201, createObject(ctx, kind, namespace, await readJson(req)));
    if (method === 'DELETE' && !clusterWide) {
      const deleted = ctx.store
        .list(kind, { namespace, ...selectors(query) })
        .items.map(
          (item) => deleteObject(ctx, { kind, namespace, name: item.metadata.name ?? '' }, undefined).object,
        );
      return sendJson(res, 200, {
        kind: listKindOf(kind),
        apiVersion: kind.group === '' ? kind.version : `${kind.group}/${kind.version}`,
        metadata: { resourceVersion: ctx.store.resourceVersion },
        items: deleted.map((o) => asListItem(kind, o)),
      });
    }
    return sendStatus(res, METHOD_NOT_ALLOWED);
  }
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

/** Watches and followed logs are streams: error-rate faults apply to unary requests only. */
function isStream(target: ApiTarget, method: string, query: URLSearchParams): boolean {
  if (target.type !== 'resource' || method !== 'GET') return false;
  if (target.subresource === 'log') return flag(query, 'follow');
  return target.name === undefined && (target.watchPrefix || flag(query, 'watch'));
}

/**
 * A wrong token is always 401; without one, only the public /version and health endpoints answer
 * (as system:public-info-viewer allows anonymous users).
 */
function authenticated(
  req: IncomingMessage,
  options: KubeApiOptions,
  target: ApiTarget | undefined,
): boolean {
  if (options.token === undefined) return true;
  const given = bearerToken(req);
  if (given === options.token) return true;
  return given === undefined && (target?.type === 'version' || target?.type === 'health');
}
