import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { SandboxContext } from '../core/sandbox-context';
import { deleteBlob, getBlob } from './blob.handlers';
import { serveHarborApi } from './harbor-api';
import { securityContext } from './harbor-security';
import { accessNeeds, checkAccess } from './harbor-v2auth';
import { distributionCatalog, distributionTags, harborCatalog, harborTags } from './listing.handlers';
import { deleteManifest, getManifest, putManifest } from './manifest.handlers';
import { nameProblem } from './reference-grammar';
import { originOf, type RegistryExchange } from './registry-exchange';
import {
  DistributionError,
  DistributionErrors,
  HarborError,
  sendDistributionErrors,
  sendHarborError,
  sendRouteNotFound,
} from './registry-errors';
import { allowedMethods, matchRoute, type RegistryRoute } from './registry-routes';
import { serveToken } from './token-service';
import { handleUpload } from './upload.handlers';

/**
 * The sandbox registry's HTTP server: distribution 2.8's `/v2` API over {@link SandboxRegistry}'s
 * storage, and, unless the registry runs without auth, Harbor in front of it: its token service
 * (`/service/token`), its v2auth checks and 401 challenges, its own answers for manifest lookups,
 * tag lists and the catalog, and the project/robot part of its REST API. Fault knobs of upstream
 * `registry` delay requests or answer 503 UNAVAILABLE.
 */
export function registryHandler(ctx: SandboxContext): RequestListener {
  return (req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendDistributionErrors(res, [asDistributionError(error)].flat());
    });
  };
}

async function handle(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const registry = ctx.registry;
  const harbor = registry.auth === 'harbor';
  const url = new URL(req.url ?? '/', 'http://registry');
  // The routes match the decoded path, as Go's router does (a client may send sha256%3A...).
  const pathname = decodedPath(url.pathname);
  const method = req.method ?? 'GET';
  await ctx.faults.delay('registry');
  if (pathname.startsWith('/v2')) res.setHeader('Docker-Distribution-Api-Version', 'registry/2.0');
  if (ctx.faults.shouldFail('registry')) {
    const status = ctx.faults.get('registry').errorCode ?? 503;
    req.resume();
    sendDistributionErrors(res, [
      new DistributionError(status === 503 ? 'UNAVAILABLE' : 'UNKNOWN', undefined, undefined, status),
    ]);
    return;
  }
  if (harbor && pathname === '/service/token') {
    serveToken(req, res, url.searchParams, registry.accounts, registry.tokens);
    return;
  }
  if (harbor && (await serveHarborApi(req, res, pathname, registry.accounts))) return;
  if (pathname === '/v2') {
    res.writeHead(301, { Location: '/v2/', 'Content-Length': '0' });
    res.end();
    return;
  }
  const route = pathname.startsWith('/v2/') ? matchRoute(pathname) : undefined;
  if (harbor && pathname.startsWith('/v2/')) {
    const security = securityContext(req, registry.accounts, registry.tokens, pathname);
    const realm = `${ctx.urls.registry === '' ? 'http:' : new URL(ctx.urls.registry).protocol}//${req.headers.host ?? ''}/service/token`;
    const refusal = checkAccess(
      req,
      pathname,
      security,
      registry.accounts,
      accessNeeds(route, method, url.searchParams),
      realm,
    );
    if (refusal !== undefined) {
      req.resume();
      res.setHeader('Docker-Distribution-Api-Version', 'registry/2.0');
      res.setHeader('Www-Authenticate', refusal.challenge);
      sendHarborError(res, new HarborError(401, 'UNAUTHORIZED', refusal.message));
      return;
    }
  }
  if (route === undefined) {
    req.resume();
    sendRouteNotFound(res);
    return;
  }
  const allowed = allowedMethods(route);
  if (allowed !== 'any' && !allowed.includes(method)) {
    req.resume();
    const text = 'Method not allowed\n';
    res.writeHead(405, {
      Allow: [...allowed].sort().join(', '),
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
    return;
  }
  const exchange: RegistryExchange = {
    req,
    res,
    method,
    query: url.searchParams,
    storage: registry.storage,
    origin: originOf(
      req,
      ctx.urls.registry === '' ? 'http' : new URL(ctx.urls.registry).protocol.slice(0, -1),
    ),
  };
  try {
    await dispatch(exchange, route, harbor, pathname);
  } catch (error) {
    req.resume();
    if (error instanceof HarborError) sendHarborError(res, error);
    else sendDistributionErrors(res, [asDistributionError(error)].flat());
  }
}

async function dispatch(
  x: RegistryExchange,
  route: RegistryRoute,
  harbor: boolean,
  path: string,
): Promise<void> {
  if (route.kind === 'base') {
    x.res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '2' });
    x.res.end('{}');
    return;
  }
  if (route.kind === 'catalog') {
    if (harbor) harborCatalog(x, path);
    else distributionCatalog(x, path);
    return;
  }
  const problem = nameProblem(route.name);
  if (problem !== undefined) {
    throw new DistributionError('NAME_INVALID', { Name: route.name, Reason: {} });
  }
  switch (route.kind) {
    case 'tags':
      if (harbor) harborTags(x, route.name, path);
      else distributionTags(x, route.name);
      return;
    case 'manifest':
      if (x.method === 'PUT') await putManifest(x, route.name, route.reference);
      else if (x.method === 'DELETE') deleteManifest(x, route.name, route.reference);
      else await getManifest(x, route.name, route.reference, harbor);
      return;
    case 'blob':
      if (x.method === 'DELETE') deleteBlob(x, route.name, route.digest);
      else await getBlob(x, route.name, route.digest);
      return;
    case 'upload':
      await handleUpload(x, route.name, route.uuid);
      return;
  }
}

function asDistributionError(error: unknown): DistributionError | DistributionError[] {
  if (error instanceof DistributionError) return error;
  if (error instanceof DistributionErrors) return error.errors;
  console.error('sandbox registry:', error);
  return new DistributionError('UNKNOWN', {});
}

function decodedPath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
