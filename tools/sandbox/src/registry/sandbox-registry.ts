import type { RegistryCredential } from './client/docker-config';
import { HarborAccounts } from './harbor-accounts';
import {
  buildImage,
  buildLayer,
  type BuiltLayer,
  type ImageContent,
  type ImageFormat,
} from './image-content';
import { isDigest } from './reference-grammar';
import { RegistryStorage } from './registry-storage';
import { RegistryTokens } from './registry-tokens';

/** Who the registry asks for credentials: Harbor's token auth, or none (a bare distribution registry). */
export type RegistryAuthMode = 'harbor' | 'none';

/** An image the registry holds under a tag (or only by digest). */
export interface RegistryImage {
  /** `host/team/app`, as images are named. */
  repository: string;
  tag: string | undefined;
  /** `sha256:<64 hex>` of the manifest. */
  digest: string;
  mediaType: string;
  pushedAt: Date;
}

/**
 * The sandbox's container registry: distribution's storage behind Harbor's auth (projects, robot
 * accounts, token service), served over HTTP by {@link registryHandler}. Builders push through
 * that API; this class also gives tests and seeds an in-process way to put and find images, and
 * holds the node-level pull credential a kubelet would read.
 */
export class SandboxRegistry {
  readonly storage: RegistryStorage;
  readonly accounts: HarborAccounts;
  readonly tokens = new RegistryTokens();
  /**
   * The kubelet's node-level docker config (`/var/lib/kubelet/config.json`): credentials every
   * pod's pulls may use besides its imagePullSecrets. Unset: pods have only their own secrets.
   */
  nodeDockerConfig: string | undefined;
  /** The platform robots' logins once the platform setup ran (the services' reader among them). */
  platformLogins: { reader: RegistryCredential; nodes: RegistryCredential } | undefined;
  /** Robot secrets by robot name, kept across resets so that configured clients keep working. */
  readonly rememberedSecrets = new Map<string, string>();
  private seedLayer: BuiltLayer | undefined;

  constructor(
    readonly host: string,
    dataDir: string,
    readonly auth: RegistryAuthMode,
    adminPassword: string,
  ) {
    this.storage = new RegistryStorage(dataDir);
    this.accounts = new HarborAccounts('admin', adminPassword);
  }

  /** The repository name inside this registry of `host/name`, or undefined for another registry. */
  repositoryName(imageRepository: string): string | undefined {
    return imageRepository.startsWith(`${this.host}/`)
      ? imageRepository.slice(this.host.length + 1)
      : undefined;
  }

  /**
   * Stores an image straight into the registry (no HTTP, no auth), as if a build had pushed it:
   * real blobs and a real manifest derived from `content`, tagged `tag`. For tests and seeds.
   */
  push(
    repository: string,
    tag: string,
    content: string,
    options: { format?: ImageFormat; created?: Date; labels?: Record<string, string> } = {},
  ): RegistryImage {
    const image = buildImage({
      format: options.format ?? 'docker',
      files: { 'app/build-input.txt': content },
      labels: options.labels,
      created: options.created ?? new Date(0),
    });
    return this.store(repository, tag, image, new Date());
  }

  /**
   * A seeded app's image, as cheap as an image can be while every blob stays real: all seeded
   * images share one layer, and their configs differ by the revision label.
   */
  pushSeeded(repository: string, tag: string, revision: string, created: Date): RegistryImage {
    this.seedLayer ??= buildLayer({ 'app/README': 'seeded by the sandbox\n' });
    const image = buildImage({
      format: 'docker',
      files: {},
      layer: this.seedLayer,
      labels: { 'org.opencontainers.image.revision': revision },
      created,
    });
    return this.store(repository, tag, image, created);
  }

  /** Stores a built image under `repository:tag` (its blobs linked, its manifest tagged). */
  store(repository: string, tag: string, image: ImageContent, pushedAt: Date): RegistryImage {
    const name = this.repositoryName(repository) ?? repository;
    for (const blob of [image.config, ...image.layers]) this.storage.putBlob(name, blob.bytes, blob.digest);
    const record = this.storage.putManifest(
      name,
      { tag },
      image.manifest.bytes,
      image.manifest.mediaType,
      pushedAt,
    );
    return { repository, tag, digest: record.digest, mediaType: record.mediaType, pushedAt };
  }

  /** Looks up `host/name:tag` or `host/name@sha256:...` (a bare `host/name` means `:latest`). */
  find(reference: string): RegistryImage | undefined {
    const at = reference.indexOf('@');
    const lastSlash = reference.lastIndexOf('/');
    const colon = reference.lastIndexOf(':');
    const repository =
      at >= 0 ? reference.slice(0, at) : colon > lastSlash ? reference.slice(0, colon) : reference;
    const ref = at >= 0 ? reference.slice(at + 1) : colon > lastSlash ? reference.slice(colon + 1) : 'latest';
    const name = this.repositoryName(repository) ?? repository;
    const digest = isDigest(ref) ? ref : this.storage.tagDigest(name, ref);
    const manifest = digest === undefined ? undefined : this.storage.manifest(name, digest);
    if (manifest === undefined) return undefined;
    return {
      repository,
      tag: isDigest(ref) ? undefined : ref,
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      pushedAt: manifest.pushedAt,
    };
  }

  /** Every tagged image, per repository in push order. */
  list(): RegistryImage[] {
    return this.storage.repositoryNames().flatMap((name) =>
      this.storage.taggedManifests(name).map(({ tag, manifest }) => ({
        repository: `${this.host}/${name}`,
        tag,
        digest: manifest.digest,
        mediaType: manifest.mediaType,
        pushedAt: manifest.pushedAt,
      })),
    );
  }

  /** Forgets every image, project, robot and the node credential (a sandbox reset). */
  clear(): void {
    this.storage.clear();
    this.accounts.clear();
    this.nodeDockerConfig = undefined;
    this.platformLogins = undefined;
  }
}
