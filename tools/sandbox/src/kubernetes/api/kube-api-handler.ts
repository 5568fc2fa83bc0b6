import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, sendJson, sendText } from '../../core/http-kit';
import type { SandboxContext } from '../../core/sandbox-context';
import { type ApiTarget, parseApiPath } from './api-path';
import { apiGroup, apiGroupList, apiResourceList, coreApiVersions, versionInfo } from './discovery';
import { faultStatus } from './fault-status';
import { openApiDocument, openApiIndex } from './openapi-v3';
import { flag } from './query';
import { serveResource } from './resource-routes';
import { METHOD_NOT_ALLOWED, PATH_NOT_FOUND, sendStatus, statusOf, UNAUTHORIZED } from './status';

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
  if (target.type === 'resource') {
    return serveResource({ ctx, req, res, target, method, query, bookmarkIntervalMs });
  }
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
    case 'openApiIndex':
      return sendJson(res, 200, openApiIndex());
    case 'openApiDocument': {
      const document = openApiDocument(target.group, target.version);
      if (document === undefined) return sendStatus(res, PATH_NOT_FOUND);
      return sendJson(res, 200, document);
    }
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
