import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** One path rule of an Ingress: requests under `path` go to `service`. */
export interface IngressRoute {
  path: string;
  pathType: 'Prefix' | 'Exact';
  service: string;
}

interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: { service?: { name?: string } };
}

/**
 * The path rules of every Ingress in a manifest file (the repo's deploy/base/ingress.yaml), so the
 * local gateway routes exactly as the cluster does. Host rules are ignored: locally there is one host.
 */
export function readIngressRoutes(file: string): IngressRoute[] {
  const routes: IngressRoute[] = [];
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const object = document.toJS() as {
      kind?: string;
      spec?: { rules?: Array<{ http?: { paths?: IngressPath[] } }> };
    };
    if (object?.kind !== 'Ingress') continue;
    for (const rule of object.spec?.rules ?? []) {
      for (const entry of rule.http?.paths ?? []) routes.push(toRoute(entry, file));
    }
  }
  if (routes.length === 0) throw new Error(`${file} has no Ingress path rules`);
  return routes;
}

function toRoute(entry: IngressPath, file: string): IngressRoute {
  const service = entry.backend?.service?.name;
  if (entry.path === undefined || service === undefined)
    throw new Error(`${file}: a path rule without path or service`);
  if (entry.pathType !== 'Prefix' && entry.pathType !== 'Exact') {
    throw new Error(
      `${file}: pathType ${entry.pathType ?? '(none)'} of ${entry.path} is not Prefix or Exact`,
    );
  }
  return { path: entry.path, pathType: entry.pathType, service };
}

/**
 * The route for a request path as Kubernetes matches Ingress paths: Exact equals the path; Prefix
 * matches whole path elements (`/task` matches `/task` and `/task/v1`, not `/tasks`); the longest
 * match wins.
 */
export function matchRoute(routes: readonly IngressRoute[], requestPath: string): IngressRoute | undefined {
  const path = requestPath.split('?')[0] ?? '';
  let best: IngressRoute | undefined;
  for (const route of routes) {
    const prefix = route.path.replace(/\/+$/, '');
    const matches =
      route.pathType === 'Exact'
        ? path === route.path
        : path === prefix || path.startsWith(`${prefix}/`) || prefix === '';
    if (matches && (best === undefined || route.path.length > best.path.length)) best = route;
  }
  return best;
}
