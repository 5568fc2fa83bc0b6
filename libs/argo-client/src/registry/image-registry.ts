import type { ProbeOptions } from '../health/upstream-probe';

/** A manifest the registry has under a tag or digest, as its HEAD answers describe it. */
export interface ManifestDescriptor {
  /** `sha256:<64 hex>`: the registry's `Docker-Content-Digest`. */
  digest: string;
  mediaType: string;
}

/**
 * A container registry speaking the OCI distribution API (Harbor, distribution, any other):
 * what the platform asks of it is whether an image exists, not how it was built.
 */
export abstract class ImageRegistry {
  /** Resolves when the registry accepts this client's credentials at `/v2/` (readiness probes). */
  abstract ping(options?: ProbeOptions): Promise<void>;

  /**
   * `HEAD /v2/<repository>/manifests/<reference>`: the manifest's digest, or undefined when the
   * repository has no such tag or digest. Throws UnauthorizedError when the registry refuses
   * this client's credentials, UpstreamUnavailableError/UpstreamTimeoutError when it is down.
   */
  abstract manifest(repository: string, reference: string): Promise<ManifestDescriptor | undefined>;
}
