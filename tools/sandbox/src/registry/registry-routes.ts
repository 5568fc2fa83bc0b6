import { DIGEST_ROUTE_PATTERN, NAME_PATTERN, TAG_PATTERN } from './reference-grammar';

/** One of the routes of distribution's `/v2` API (registry/api/v2/descriptors.go). */
export type RegistryRoute =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'upload'; name: string; uuid: string | undefined };

const ROUTES: Array<{ pattern: RegExp; build: (m: RegExpExecArray) => RegistryRoute }> = [
  { pattern: /^\/v2\/$/, build: () => ({ kind: 'base' }) },
  { pattern: /^\/v2\/_catalog$/, build: () => ({ kind: 'catalog' }) },
  {
    pattern: new RegExp(`^/v2/(${NAME_PATTERN})/tags/list$`),
    build: (m) => ({ kind: 'tags', name: m[1] ?? '' }),
  },
  {
    pattern: new RegExp(`^/v2/(${NAME_PATTERN})/manifests/(${TAG_PATTERN}|${DIGEST_ROUTE_PATTERN})$`),
    build: (m) => ({ kind: 'manifest', name: m[1] ?? '', reference: m[2] ?? '' }),
  },
  {
    pattern: new RegExp(`^/v2/(${NAME_PATTERN})/blobs/uploads/([a-zA-Z0-9-_.=]+)?$`),
    build: (m) => ({ kind: 'upload', name: m[1] ?? '', uuid: m[2] }),
  },
  {
    pattern: new RegExp(`^/v2/(${NAME_PATTERN})/blobs/(${DIGEST_ROUTE_PATTERN})$`),
    build: (m) => ({ kind: 'blob', name: m[1] ?? '', digest: m[2] ?? '' }),
  },
];

/** The route a request path names, or undefined (the router's 404 page). */
export function matchRoute(pathname: string): RegistryRoute | undefined {
  for (const { pattern, build } of ROUTES) {
    const m = pattern.exec(pathname);
    if (m !== null) return build(m);
  }
  return undefined;
}

/** The methods each route serves (gorilla's MethodHandler answers 405 with `Allow` to others). */
export function allowedMethods(route: RegistryRoute): string[] | 'any' {
  switch (route.kind) {
    case 'base':
      return 'any';
    case 'catalog':
    case 'tags':
      return ['GET'];
    case 'manifest':
      return ['GET', 'HEAD', 'PUT', 'DELETE'];
    case 'blob':
      return ['GET', 'HEAD', 'DELETE'];
    case 'upload':
      return ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'];
  }
}
