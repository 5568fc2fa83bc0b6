import path from 'node:path';
import { BlobStore } from './blob-store';
import { parseManifest, type Reference } from './manifest-parse';
import { digestProblem, sha256Digest } from './reference-grammar';
import { DistributionError, DistributionErrors, GO_ERROR_DETAIL } from './registry-errors';
import { UploadSessions } from './upload-sessions';

/** A manifest revision of a repository. */
export interface ManifestRecord {
  digest: string;
  mediaType: string;
  size: number;
  pushedAt: Date;
}

interface RepositoryRecord {
  /** Blobs linked into the repository (distribution's `_layers`): only these can be read through it. */
  blobs: Set<string>;
  manifests: Map<string, ManifestRecord>;
  /** Tag → manifest digest; undefined until the first tag (distribution then has no tags folder). */
  tags: Map<string, string> | undefined;
}

/**
 * What the registry stores, modelled on distribution's storage: global content-addressed blobs,
 * and per repository the blobs linked into it, its manifest revisions and its tags. A manifest is
 * accepted only when every blob (or manifest) it references is in the repository.
 */
export class RegistryStorage {
  readonly blobs: BlobStore;
  readonly uploads: UploadSessions;
  private readonly repositories = new Map<string, RepositoryRecord>();

  constructor(root: string) {
    this.blobs = new BlobStore(path.join(root, 'registry'));
    this.uploads = new UploadSessions(path.join(root, 'registry'));
  }

  /** Marks a repository as present (distribution creates its folder when an upload starts). */
  touch(repository: string): void {
    this.record(repository);
  }

  /** The size of a blob readable through `repository`, or undefined. */
  blobSize(repository: string, digest: string): number | undefined {
    if (this.repositories.get(repository)?.blobs.has(digest) !== true) return undefined;
    return this.blobs.size(digest);
  }

  linkBlob(repository: string, digest: string): void {
    this.record(repository).blobs.add(digest);
  }

  /** Stores bytes as a blob of `repository` (the end of an upload, or an in-process push). */
  putBlob(repository: string, bytes: Buffer, digest = sha256Digest(bytes)): string {
    this.blobs.put(digest, bytes);
    this.linkBlob(repository, digest);
    return digest;
  }

  deleteBlobLink(repository: string, digest: string): boolean {
    return this.repositories.get(repository)?.blobs.delete(digest) ?? false;
  }

  /**
   * Stores a manifest under a tag or a digest and returns its digest (sha256 of the bytes as
   * sent). Throws the registry's errors: MANIFEST_INVALID, DIGEST_INVALID when the digest
   * reference does not match, MANIFEST_BLOB_UNKNOWN for each missing reference.
   */
  putManifest(
    repository: string,
    reference: { tag?: string; digest?: string },
    bytes: Buffer,
    contentType: string | undefined,
    pushedAt = new Date(),
  ): ManifestRecord {
    const parsed = parseManifest(contentType, bytes);
    const digest = sha256Digest(bytes);
    if (reference.digest !== undefined && reference.digest !== digest) {
      throw new DistributionError('DIGEST_INVALID');
    }
    if (parsed.schemaVersion !== 2) {
      // distribution: "unrecognized manifest schema version N", reported as UNKNOWN.
      throw new DistributionError('UNKNOWN', GO_ERROR_DETAIL);
    }
    const problems = this.verify(repository, parsed.references);
    if (problems.length > 0) throw new DistributionErrors(problems);
    this.blobs.put(digest, bytes);
    const record = { digest, mediaType: parsed.mediaType, size: bytes.length, pushedAt };
    const target = this.record(repository);
    target.manifests.set(digest, record);
    if (reference.tag !== undefined) this.tag(repository, reference.tag, digest);
    return record;
  }

  /**
   * distribution's verifyManifest: every reference must be in the repository; each missing one
   * is MANIFEST_BLOB_UNKNOWN, preceded by the lookup's own error when its digest is malformed
   * (DIGEST_INVALID for a bad format, UNKNOWN for a bad length or algorithm).
   */
  private verify(repository: string, references: Reference[]): DistributionError[] {
    const repo = this.repositories.get(repository);
    const errors: DistributionError[] = [];
    for (const r of references) {
      const known = r.kind === 'manifest' ? repo?.manifests.has(r.digest) : repo?.blobs.has(r.digest);
      if (known === true) continue;
      const problem = digestProblem(r.digest);
      if (problem === 'invalid checksum digest format') errors.push(new DistributionError('DIGEST_INVALID'));
      else if (problem !== undefined) {
        errors.push(new DistributionError('UNKNOWN'), new DistributionError('UNKNOWN', GO_ERROR_DETAIL));
      }
      errors.push(new DistributionError('MANIFEST_BLOB_UNKNOWN', r.digest));
    }
    return errors;
  }

  tag(repository: string, tag: string, digest: string): void {
    const repo = this.record(repository);
    repo.tags ??= new Map();
    // A re-tag moves the tag: it is the latest push of that tag.
    repo.tags.delete(tag);
    repo.tags.set(tag, digest);
  }

  manifest(repository: string, digest: string): ManifestRecord | undefined {
    return this.repositories.get(repository)?.manifests.get(digest);
  }

  tagDigest(repository: string, tag: string): string | undefined {
    return this.repositories.get(repository)?.tags?.get(tag);
  }

  /** Deletes a manifest revision and every tag pointing at it; false when there was none. */
  deleteManifest(repository: string, digest: string): boolean {
    const repo = this.repositories.get(repository);
    if (repo?.manifests.delete(digest) !== true) return false;
    for (const [tag, target] of repo.tags ?? []) if (target === digest) repo.tags?.delete(tag);
    return true;
  }

  /** The tags of a repository, sorted; undefined when it never had one (NAME_UNKNOWN). */
  tags(repository: string): string[] | undefined {
    const tags = this.repositories.get(repository)?.tags;
    return tags === undefined ? undefined : [...tags.keys()].sort();
  }

  /** Tags with their digests in push order (newest last). */
  taggedManifests(repository: string): Array<{ tag: string; manifest: ManifestRecord }> {
    const repo = this.repositories.get(repository);
    const out: Array<{ tag: string; manifest: ManifestRecord }> = [];
    for (const [tag, digest] of repo?.tags ?? []) {
      const manifest = repo?.manifests.get(digest);
      if (manifest !== undefined) out.push({ tag, manifest });
    }
    return out;
  }

  /** Whether a repository has at least one manifest (Harbor knows a repository from its first push). */
  hasManifests(repository: string): boolean {
    return (this.repositories.get(repository)?.manifests.size ?? 0) > 0;
  }

  repositoryNames(): string[] {
    return [...this.repositories.keys()].sort();
  }

  clear(): void {
    this.repositories.clear();
    this.blobs.clear();
    this.uploads.clear();
  }

  private record(repository: string): RepositoryRecord {
    let repo = this.repositories.get(repository);
    if (repo === undefined) {
      repo = { blobs: new Set(), manifests: new Map(), tags: undefined };
      this.repositories.set(repository, repo);
    }
    return repo;
  }
}
