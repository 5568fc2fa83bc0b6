import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { sendHttpError } from './gitea-errors';

/** The owner and name a redirect leads to (repo.OwnerName and repo.Name). */
export interface RedirectTarget {
  owner: string;
  name: string;
}

/**
 * services/context/repo.go RedirectToRepo, for a request that named a repository by a former
 * name: the first `<owner>/<old name>` of the request's escaped path (the path parameters as the
 * router matched them, re-escaped) becomes `<owner>/<new name>`, the query is kept, the result is
 * cleaned as `path.Join(setting.AppSubURL, …)` cleans it (no ROOT_URL sub-path in the sandbox),
 * and the answer is `301 Moved Permanently` ("Git client needs a 301 redirect by default to
 * follow the new location"): a path-only Location, as Base.Redirect and Go's http.Redirect write
 * it. Every method is redirected, a PATCH or DELETE too. `target` undefined is the repository
 * lookup by id failing: `500 GetRepositoryByID`.
 *
 * `ownerParam` / `repoParam` are the path parameters: for git's smart HTTP the repository
 * parameter carries its `.git` (`/org/old.git/info/refs` leads to `/org/new/info/refs`).
 * `api` adds the `nosniff` header Gitea's API router sets on every answer.
 */
export function sendRepoRedirect(
  req: IncomingMessage,
  res: ServerResponse,
  params: { ownerParam: string; repoParam: string; target: RedirectTarget | undefined; api: boolean },
): void {
  const nosniff: Record<string, string> = params.api ? { 'x-content-type-options': 'nosniff' } : {};
  if (params.target === undefined) {
    sendHttpError(res, 500, 'GetRepositoryByID', nosniff);
    return;
  }
  const url = new URL(req.url ?? '/', 'http://sandbox');
  let redirectPath = url.pathname.replace(
    `${goPathEscape(params.ownerParam)}/${goPathEscape(params.repoParam)}`,
    () => `${goPathEscape(params.target?.owner ?? '')}/${goPathEscape(params.target?.name ?? '')}`,
  );
  if (url.search.length > 1) redirectPath += url.search;
  const location = goRedirectLocation(goClean(redirectPath));
  if (req.headers['hx-request'] === 'true') {
    // Base.Redirect lets htmx redirect the browser itself.
    res.writeHead(204, { ...nosniff, 'hx-redirect': location });
    res.end();
    return;
  }
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = { ...nosniff, location };
  if (method === 'GET' || method === 'HEAD') headers['content-type'] = 'text/html; charset=utf-8';
  // net/http's Redirect writes a short HTML body for GET only.
  const body = method === 'GET' ? `<a href="${htmlEscape(location)}">Moved Permanently</a>.\n\n` : '';
  res.writeHead(301, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Go's url.PathEscape: a path segment, with the characters RFC 3986 allows in one left as they are. */
function goPathEscape(segment: string): string {
  return [...Buffer.from(segment, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-_.~$&+,;=:@]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Go's path.Clean (on the whole string, query included, as path.Join applies it). */
function goClean(p: string): string {
  if (p === '') return '.';
  const cleaned = path.posix.normalize(p);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

/** net/http Redirect for a path without scheme or host: the path part cleaned, the query kept. */
function goRedirectLocation(location: string): string {
  const at = location.indexOf('?');
  const [pathPart, query] = at === -1 ? [location, ''] : [location.slice(0, at), location.slice(at)];
  const trailing = pathPart.endsWith('/');
  let cleaned = goClean(pathPart);
  if (trailing && !cleaned.endsWith('/')) cleaned += '/';
  return cleaned + query;
}

/** Go's net/http htmlEscape. */
function htmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}
