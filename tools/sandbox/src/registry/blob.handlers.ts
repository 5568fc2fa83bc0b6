import { digestProblem } from './reference-grammar';
import { sendEmpty, type RegistryExchange } from './registry-exchange';
import { DistributionError, GO_ERROR_DETAIL } from './registry-errors';

/** distribution's `blobCacheControlMaxAge` (365 days). */
const CACHE_CONTROL = 'max-age=31536000';

/** The route's digest, or DIGEST_INVALID (go-digest's error is a plain error: detail `{}`). */
export function validDigest(digest: string): string {
  if (digestProblem(digest) !== undefined) throw new DistributionError('DIGEST_INVALID', GO_ERROR_DETAIL);
  return digest;
}

/**
 * GET/HEAD `/v2/<name>/blobs/<digest>` (registry/storage/blobserver.go + Go's http.ServeContent):
 * the bytes with their digest, an ETag, a year's Cache-Control, `Accept-Ranges: bytes` and
 * single-range requests (206, or 416 when the range misses). BLOB_UNKNOWN when the blob is not
 * linked into this repository, even if another repository has it.
 */
export async function getBlob(x: RegistryExchange, name: string, rawDigest: string): Promise<void> {
  const digest = validDigest(rawDigest);
  const size = x.storage.blobSize(name, digest);
  if (size === undefined) throw new DistributionError('BLOB_UNKNOWN', digest);
  const res = x.res;
  res.setHeader('ETag', `"${digest}"`);
  res.setHeader('Cache-Control', CACHE_CONTROL);
  res.setHeader('Docker-Content-Digest', digest);
  res.setHeader('Content-Type', 'application/octet-stream');
  const inm = x.req.headers['if-none-match'];
  if (inm !== undefined && inm.split(',').some((v) => v.trim() === `"${digest}"` || v.trim() === '*')) {
    res.removeHeader('Content-Type');
    sendEmpty(res, 304);
    return;
  }
  const range = parseRange(x.req.headers.range, size);
  if (range !== 'unsatisfiable') res.setHeader('Accept-Ranges', 'bytes');
  if (range === 'unsatisfiable') {
    // distribution declared the blob's length before http.ServeContent refused the range; Go then
    // cannot write the error text ("wrote more than the declared Content-Length") and closes the
    // connection once the headers are out.
    res.setHeader('Content-Range', `bytes */${size}`);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Length', String(size));
    res.writeHead(416);
    res.flushHeaders();
    res.destroy();
    return;
  }
  const bytes = await x.storage.blobs.read(digest);
  if (range === undefined) {
    res.setHeader('Content-Length', String(size));
    res.writeHead(200);
    res.end(bytes);
    return;
  }
  res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  res.setHeader('Content-Length', String(range.end - range.start + 1));
  res.writeHead(206);
  res.end(bytes.subarray(range.start, range.end + 1));
}

/** DELETE `/v2/<name>/blobs/<digest>`: unlinks the blob from the repository (202). */
export function deleteBlob(x: RegistryExchange, name: string, rawDigest: string): void {
  const digest = validDigest(rawDigest);
  if (!x.storage.deleteBlobLink(name, digest)) throw new DistributionError('BLOB_UNKNOWN');
  sendEmpty(x.res, 202);
}

/** One `bytes=a-b` / `bytes=a-` / `bytes=-n` range, as http.ServeContent reads it. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return undefined;
  const [, from = '', to = ''] = m;
  if (from === '' && to === '') return undefined;
  if (from === '') {
    const suffix = Math.min(Number(to), size);
    return suffix === 0 ? 'unsatisfiable' : { start: size - suffix, end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  return end < start ? undefined : { start, end };
}
