import { MediaTypes } from './manifest-parse';
import { isDigest } from './reference-grammar';
import { readBody, sendEmpty, type RegistryExchange } from './registry-exchange';
import { DistributionError, HarborError } from './registry-errors';

/** distribution's `maxManifestBodySize`. */
const MAX_MANIFEST_BYTES = 4 << 20;

/** `sha256:...` references name a revision; anything else is a tag (distribution's manifestDispatcher). */
function splitReference(reference: string): { tag?: string; digest?: string } {
  return isDigest(reference) ? { digest: reference } : { tag: reference };
}

/**
 * GET/HEAD `/v2/<name>/manifests/<reference>` (distribution registry/handlers/manifests.go): the
 * manifest as pushed, with its media type, length, digest and ETag; 304 on a matching
 * If-None-Match; MANIFEST_UNKNOWN for an unknown tag (detail `{"Tag"}`) or revision (detail
 * `{"Name","Revision"}`), and for an OCI manifest or index asked for without accepting its type.
 * With `harbor`, the 404s are Harbor's own (src/server/registry/manifest.go looks the artifact up
 * first): NOT_FOUND "repository X not found" / "artifact X:tag not found" / "artifact X@digest not found".
 */
export async function getManifest(
  x: RegistryExchange,
  name: string,
  reference: string,
  harbor: boolean,
): Promise<void> {
  const ref = splitReference(reference);
  if (harbor) harborArtifactLookup(x, name, ref);
  const digest = ref.digest ?? x.storage.tagDigest(name, ref.tag ?? '');
  if (digest === undefined) throw new DistributionError('MANIFEST_UNKNOWN', { Tag: ref.tag });
  if (etagMatches(x, digest)) {
    sendEmpty(x.res, 304);
    return;
  }
  const manifest = x.storage.manifest(name, digest);
  if (manifest === undefined)
    throw new DistributionError('MANIFEST_UNKNOWN', { Name: name, Revision: digest });
  const accepted = acceptedTypes(x);
  if (manifest.mediaType === MediaTypes.ociManifest && !accepted.has(MediaTypes.ociManifest)) {
    throw new DistributionError(
      'MANIFEST_UNKNOWN',
      undefined,
      'OCI manifest found, but accept header does not support OCI manifests',
    );
  }
  if (manifest.mediaType === MediaTypes.ociIndex && !accepted.has(MediaTypes.ociIndex)) {
    throw new DistributionError(
      'MANIFEST_UNKNOWN',
      undefined,
      'OCI index found, but accept header does not support OCI indexes',
    );
  }
  const convertsToSchema1 =
    ref.tag !== undefined &&
    ((manifest.mediaType === MediaTypes.dockerManifest && !accepted.has(MediaTypes.dockerManifest)) ||
      (manifest.mediaType === MediaTypes.dockerManifestList && !accepted.has(MediaTypes.dockerManifestList)));
  if (convertsToSchema1) {
    // distribution rewrites these into a signed schema 1 manifest for old clients; the sandbox does
    // not sign schema 1, and says so rather than serve a type the client did not accept.
    throw new DistributionError(
      'MANIFEST_UNKNOWN',
      undefined,
      `the sandbox registry does not convert to schema 1; send Accept: ${manifest.mediaType}`,
    );
  }
  const bytes = await x.storage.blobs.read(digest);
  x.res.setHeader('Content-Type', manifest.mediaType);
  x.res.setHeader('Content-Length', String(bytes.length));
  x.res.setHeader('Docker-Content-Digest', digest);
  x.res.setHeader('Etag', `"${digest}"`);
  x.res.writeHead(200);
  x.res.end(bytes);
}

function harborArtifactLookup(
  x: RegistryExchange,
  name: string,
  ref: { tag?: string; digest?: string },
): void {
  if (ref.digest !== undefined) {
    if (x.storage.manifest(name, ref.digest) === undefined) {
      throw new HarborError(404, 'NOT_FOUND', `artifact ${name}@${ref.digest} not found`);
    }
    return;
  }
  if (!x.storage.hasManifests(name)) throw new HarborError(404, 'NOT_FOUND', `repository ${name} not found`);
  if (x.storage.tagDigest(name, ref.tag ?? '') === undefined) {
    throw new HarborError(404, 'NOT_FOUND', `artifact ${name}:${ref.tag ?? ''} not found`);
  }
}

/** PUT `/v2/<name>/manifests/<reference>`: 201 with the canonical Location and the digest. */
export async function putManifest(x: RegistryExchange, name: string, reference: string): Promise<void> {
  const body = await readBody(x.req, MAX_MANIFEST_BYTES);
  if (body === undefined) {
    throw new DistributionError('MANIFEST_INVALID', 'http: request body too large');
  }
  const record = x.storage.putManifest(name, splitReference(reference), body, x.req.headers['content-type']);
  sendEmpty(x.res, 201, {
    Location: `${x.origin}/v2/${name}/manifests/${record.digest}`,
    'Docker-Content-Digest': record.digest,
  });
}

/**
 * DELETE `/v2/<name>/manifests/<digest>`: 202, the revision and its tags gone. A tag is no
 * revision: distribution then deletes by an empty digest, which fails as DIGEST_INVALID.
 */
export function deleteManifest(x: RegistryExchange, name: string, reference: string): void {
  const ref = splitReference(reference);
  if (ref.digest === undefined) throw new DistributionError('DIGEST_INVALID');
  if (!x.storage.deleteManifest(name, ref.digest)) throw new DistributionError('MANIFEST_UNKNOWN');
  sendEmpty(x.res, 202);
}

function etagMatches(x: RegistryExchange, digest: string): boolean {
  const values = x.req.headersDistinct['if-none-match'] ?? [];
  return values.some((v) => v === digest || v === `"${digest}"`);
}

/** Media types of every Accept header, parameters dropped (distribution ignores q values). */
function acceptedTypes(x: RegistryExchange): Set<string> {
  const types = new Set<string>();
  for (const header of x.req.headersDistinct.accept ?? []) {
    for (const part of header.split(',')) types.add((part.split(';')[0] ?? '').trim());
  }
  return types;
}
