import { DistributionError, GO_ERROR_DETAIL } from './registry-errors';

export const MediaTypes = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

/** A content descriptor a manifest points to. */
export interface Reference {
  digest: string;
  mediaType: string;
  /** `manifest` for the entries of an index or list; `blob` for configs and layers. */
  kind: 'blob' | 'manifest';
}

export interface ParsedManifest {
  mediaType: string;
  schemaVersion: number | undefined;
  /** In distribution's `References()` order: the config first, then the layers (or the entries). */
  references: Reference[];
}

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
}

interface ManifestDocument {
  schemaVersion?: unknown;
  mediaType?: unknown;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

/**
 * distribution's `UnmarshalManifest`: the Content-Type picks the schema (schema 2, manifest list,
 * OCI manifest, OCI index); anything else falls to schema 1, which this registry, like
 * distribution 2.8 by default, does not accept. Every refusal is MANIFEST_INVALID with the
 * checks' own wording, as distribution words them.
 */
export function parseManifest(contentType: string | undefined, bytes: Buffer): ParsedManifest {
  const mediaType = mediaTypeOf(contentType);
  let doc: ManifestDocument;
  const text = bytes.toString('utf8');
  try {
    doc = JSON.parse(text) as ManifestDocument;
  } catch (error) {
    throw new DistributionError('MANIFEST_INVALID', { Offset: goSyntaxOffset(text, error as Error) });
  }
  if (typeof doc !== 'object' || doc === null) throw invalid();
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : '';
  switch (mediaType) {
    case MediaTypes.dockerManifest:
      if (declared !== MediaTypes.dockerManifest) throw invalid(); // distribution: mediaType in manifest should be '<dockerManifest>' not '<declared>'
      return image(doc, mediaType);
    case MediaTypes.ociManifest:
      if (doc.manifests !== undefined) throw invalid(); // distribution: oci manifest: expected manifest but found index
      if (declared !== '' && declared !== MediaTypes.ociManifest) throw invalid(); // distribution: if present, mediaType in manifest should be '<ociManifest>' not '<declared>'
      return image(doc, mediaType);
    case MediaTypes.dockerManifestList:
      if (declared !== MediaTypes.dockerManifestList) throw invalid(); // distribution: mediaType in manifest list should be '<dockerManifestList>' not '<declared>'
      return index(doc, mediaType);
    case MediaTypes.ociIndex:
      if (doc.config !== undefined || doc.layers !== undefined) throw invalid(); // distribution: index: expected index but found manifest
      if (declared !== '' && declared !== MediaTypes.ociIndex) throw invalid(); // distribution: if present, mediaType in image index should be '<ociIndex>' not '<declared>'
      return index(doc, mediaType);
    default:
      // schema 1 (the default for any other type): signed manifests only, which are not accepted.
      throw invalid();
  }
}

/** `mime.ParseMediaType` of the Content-Type header: lower-cased, parameters dropped. */
function mediaTypeOf(contentType: string | undefined): string {
  if (contentType === undefined || contentType.trim() === '') return '';
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) throw invalid();
  return type;
}

function image(doc: ManifestDocument, mediaType: string): ParsedManifest {
  // Go decodes a missing config as a zero descriptor, which verification then looks up.
  const descriptors = [doc.config ?? {}, ...(doc.layers ?? [])];
  return {
    mediaType,
    schemaVersion: schemaVersionOf(doc),
    references: descriptors.map((d) => ({ ...descriptor(d), kind: 'blob' })),
  };
}

function index(doc: ManifestDocument, mediaType: string): ParsedManifest {
  return {
    mediaType,
    schemaVersion: schemaVersionOf(doc),
    references: (doc.manifests ?? []).map((d) => ({ ...descriptor(d), kind: 'manifest' })),
  };
}

function descriptor(d: Descriptor): { digest: string; mediaType: string } {
  return {
    digest: typeof d.digest === 'string' ? d.digest : '',
    mediaType: typeof d.mediaType === 'string' ? d.mediaType : '',
  };
}

function schemaVersionOf(doc: ManifestDocument): number | undefined {
  return typeof doc.schemaVersion === 'number' ? doc.schemaVersion : undefined;
}

/**
 * MANIFEST_INVALID. Its detail is the Go error value of the failed check (the texts noted at each
 * call), and a plain Go error marshals as `{}`: the wording never reaches the client.
 */
function invalid(): DistributionError {
  return new DistributionError('MANIFEST_INVALID', GO_ERROR_DETAIL);
}

/**
 * The `Offset` of Go's json.SyntaxError (the detail distribution sends): how many bytes the
 * scanner read, the offending one included; the input's length when it ended too early.
 */
function goSyntaxOffset(text: string, error: Error): number {
  const length = Buffer.byteLength(text);
  const m = /at position (\d+)/.exec(error.message);
  if (m === null) return length;
  const position = Buffer.byteLength(text.slice(0, Number(m[1])));
  return position >= length ? length : position + 1;
}
