import { sendGoJson, type RegistryExchange } from './registry-exchange';
import { DistributionError, HarborError } from './registry-errors';

const CATALOG_DEFAULT_ENTRIES = 100;
const CATALOG_MAX_ENTRIES = 1000;

/**
 * GET `/v2/<name>/tags/list` as distribution 2.8 serves it (registry/handlers/tags.go): every tag,
 * no paging (2.8 ignores `n` and `last`); NAME_UNKNOWN (detail `{"name"}`) for a repository
 * without tags.
 */
export function distributionTags(x: RegistryExchange, name: string): void {
  const tags = x.storage.tags(name);
  if (tags === undefined) throw new DistributionError('NAME_UNKNOWN', { name });
  // Go's encoder writes a nil slice as null: a repository whose tags were all deleted.
  sendGoJson(x.res, 200, { name, tags: tags.length === 0 ? null : tags });
}

/**
 * GET `/v2/<name>/tags/list` as Harbor serves it (src/server/registry/tag.go + util.go): sorted,
 * paged by `n` and `last` with a relative `Link: <...?last=&n=>; rel="next"` when more remain;
 * NOT_FOUND "repository X not found" for a repository Harbor does not know.
 */
export function harborTags(x: RegistryExchange, name: string, path: string): void {
  const n = harborPageSize(x);
  if (n === 0) {
    sendGoJson(x.res, 200, { name, tags: [] });
    return;
  }
  if (!x.storage.hasManifests(name)) throw new HarborError(404, 'NOT_FOUND', `repository ${name} not found`);
  sendHarborPage(x, path, 'tags', name, x.storage.tags(name) ?? [], n);
}

/** GET `/v2/_catalog` for Harbor's admin (robots are refused before this), paged like tags. */
export function harborCatalog(x: RegistryExchange, path: string): void {
  const n = harborPageSize(x);
  const names = x.storage.repositoryNames().filter((r) => x.storage.hasManifests(r));
  sendHarborPage(x, path, 'repositories', undefined, n === 0 ? [] : names, n);
}

function harborPageSize(x: RegistryExchange): number | undefined {
  const raw = x.query.get('n') ?? '';
  if (raw === '') return undefined;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n < 0)
    throw new HarborError(400, 'BAD_REQUEST', 'the N must be a positive int type');
  return n;
}

function sendHarborPage(
  x: RegistryExchange,
  path: string,
  key: 'tags' | 'repositories',
  name: string | undefined,
  sorted: string[],
  n: number | undefined,
): void {
  const last = x.query.get('last') ?? '';
  const start = last === '' ? 0 : sorted.findIndex((item) => item > last);
  const from = start < 0 ? sorted.length : start;
  const items = sorted.slice(from, n === undefined ? undefined : from + n);
  const tail = items[items.length - 1];
  const headers: Record<string, string> = {};
  if (n !== undefined && tail !== undefined && tail !== sorted[sorted.length - 1]) {
    const next = new URLSearchParams([
      ['last', tail],
      ['n', String(n)],
    ]);
    headers.Link = `<${path}?${next.toString()}>; rel="next"`;
  }
  sendGoJson(x.res, 200, name === undefined ? { [key]: items } : { name, [key]: items }, headers);
}

/**
 * GET `/v2/_catalog` as distribution serves it (registry/handlers/catalog.go): `n` entries (100
 * by default, PAGINATION_NUMBER_INVALID above 1000) after `last`, and a Link when more follow.
 */
export function distributionCatalog(x: RegistryExchange, path: string): void {
  let entries = CATALOG_DEFAULT_ENTRIES;
  const raw = x.query.get('n');
  if (raw !== null && raw !== '' && /^[+-]?\d+$/.test(raw)) {
    const parsed = Number(raw);
    if (parsed > CATALOG_MAX_ENTRIES) throw new DistributionError('PAGINATION_NUMBER_INVALID', { n: parsed });
    if (parsed >= 0) entries = parsed;
  }
  const last = x.query.get('last') ?? '';
  const after = x.storage.repositoryNames().filter((r) => r > last);
  const repositories = entries === 0 ? [] : after.slice(0, entries);
  const headers: Record<string, string> = {};
  const tail = repositories[repositories.length - 1];
  if (entries > 0 && after.length > entries && tail !== undefined) {
    const next = new URLSearchParams([
      ['last', tail],
      ['n', String(entries)],
    ]);
    headers.Link = `<${path}?${next.toString()}>; rel="next"`;
  }
  sendGoJson(x.res, 200, { repositories }, headers);
}
