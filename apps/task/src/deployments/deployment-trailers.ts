import { DEPLOY_REASONS, type Deployment } from '@platform/domain';

/** A commit of the manifests repository as the history reads it. */
export interface ManifestsCommit {
  sha: string;
  message: string;
  committedAt: string;
}

/**
 * The Deployment a manifests commit records, from the `Platform-*` trailers the cd workflow
 * writes (deploy/argo/cd.yaml). `image` is composed as every image of the platform is named:
 * `<registry>/<team>/<app>:<tag>`.
 */
export function deploymentOf(
  commit: ManifestsCommit,
  environment: string,
  imageRepository: string,
): Deployment {
  const trailers = platformTrailers(commit.message);
  const text = (key: string): string | null => {
    const value = trailers.get(key);
    return value === undefined || value === '' ? null : value;
  };
  const reason = DEPLOY_REASONS.find((r) => r === trailers.get('reason')) ?? null;
  const tag = reason === null ? null : text('image');
  return {
    environment,
    manifestsCommit: commit.sha,
    summary: commit.message.split('\n', 1)[0] ?? '',
    reason,
    image: tag === null ? null : `${imageRepository}:${tag}`,
    tag,
    digest: reason === null ? null : text('image-digest'),
    origin: reason === null ? null : text('origin'),
    requestedBy: reason === null ? null : text('requested-by'),
    task: reason === null ? null : text('task'),
    committedAt: commit.committedAt,
  };
}

/** `Platform-<Key>: value` lines of a message, keys lower-cased without the prefix. */
function platformTrailers(message: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of message.split('\n')) {
    const m = /^Platform-([A-Za-z-]+):[ \t]*(.*)$/.exec(line.trimEnd());
    if (m !== null) found.set((m[1] ?? '').toLowerCase(), m[2] ?? '');
  }
  return found;
}
