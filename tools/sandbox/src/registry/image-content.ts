import { gzipSync } from 'node:zlib';
import { MediaTypes } from './manifest-parse';
import { sha256Digest } from './reference-grammar';

/** Which media types an image is pushed with: kaniko's Docker v2 schema 2, or BuildKit's OCI. */
export type ImageFormat = 'docker' | 'oci';

/** An image ready to push: its blobs and the manifest naming them. */
export interface ImageContent {
  config: { bytes: Buffer; digest: string; mediaType: string };
  layers: Array<{ bytes: Buffer; digest: string; mediaType: string }>;
  manifest: { bytes: Buffer; digest: string; mediaType: string };
}

/** A layer already built (a gzipped tar) with the digest of its uncompressed tar. */
export interface BuiltLayer {
  bytes: Buffer;
  digest: string;
  diffId: string;
}

export interface ImageSpec {
  format: ImageFormat;
  /** The files of the single layer (path → content): what the build put into the image. */
  files: Record<string, string>;
  /** A layer to reuse instead of building one from `files` (images sharing a base). */
  layer?: BuiltLayer;
  labels?: Record<string, string>;
  /** The image's `created` time; a fixed one makes the digest depend on the content only. */
  created: Date;
  /** History lines (the Dockerfile instructions), as builders record them. */
  history?: string[];
}

/**
 * Builds a real, small image: one gzipped tar layer holding `files`, an image config whose
 * `rootfs.diff_ids` is that tar's digest, and a manifest referencing both, so that every blob a
 * registry serves for it is what the digests say.
 */
export function buildImage(spec: ImageSpec): ImageContent {
  const built = spec.layer ?? buildLayer(spec.files);
  const docker = spec.format === 'docker';
  const layer = {
    bytes: built.bytes,
    digest: built.digest,
    mediaType: docker ? MediaTypes.dockerLayer : MediaTypes.ociLayer,
  };
  const created = spec.created.toISOString();
  const configBytes = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      created,
      history: (spec.history ?? []).map((line) => ({ created, created_by: line })),
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [built.diffId] },
      config: { Labels: spec.labels ?? {} },
    }),
  );
  const config = {
    bytes: configBytes,
    digest: sha256Digest(configBytes),
    mediaType: docker ? MediaTypes.dockerConfig : MediaTypes.ociConfig,
  };
  const manifestBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: docker ? MediaTypes.dockerManifest : MediaTypes.ociManifest,
      config: { mediaType: config.mediaType, size: config.bytes.length, digest: config.digest },
      layers: [{ mediaType: layer.mediaType, size: layer.bytes.length, digest: layer.digest }],
    }),
  );
  return {
    config,
    layers: [layer],
    manifest: {
      bytes: manifestBytes,
      digest: sha256Digest(manifestBytes),
      mediaType: docker ? MediaTypes.dockerManifest : MediaTypes.ociManifest,
    },
  };
}

/** One gzipped tar layer holding `files`. */
export function buildLayer(files: Record<string, string>): BuiltLayer {
  const tar = tarOf(files);
  const bytes = gzipSync(tar, { level: 6 });
  return { bytes, digest: sha256Digest(bytes), diffId: sha256Digest(tar) };
}

/** A POSIX (ustar) archive of regular files with fixed owner and time, so it is reproducible. */
function tarOf(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const data = Buffer.from(text);
    blocks.push(tarHeader(name, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string): void => {
    header.write(value, offset, length, 'ascii');
  };
  const octal = (value: number, length: number): string => `${value.toString(8).padStart(length - 1, '0')}\0`;
  field(0, 100, name);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(size, 12));
  field(136, 12, octal(0, 12));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}
