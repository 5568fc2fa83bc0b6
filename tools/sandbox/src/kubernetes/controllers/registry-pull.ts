import type { SandboxContext } from '../../core/sandbox-context';
import { ANONYMOUS } from '../../registry/harbor-accounts';
import type { RegistryCredential } from '../../registry/client/docker-config';
import { STATUS_TEXT } from '../../registry/client/registry-pusher';
import { isDigest } from '../../registry/reference-grammar';

export type PullOutcome =
  { ok: true; imageID: string; size: number } | { ok: false; message: string; notFound: boolean };

/**
 * One containerd resolve of a sandbox-registry image with one credential (or none), judged by
 * the registry's own rules (containerd `core/remotes/docker/resolver.go`, `authorizer.go`):
 *
 * - Harbor answers the HEAD of a manifest with a Bearer challenge; the token service grants the
 *   credential's actions in the project (none for a wrong credential, or for anonymous in a
 *   private project), and a token without pull is refused with `Basic realm="harbor"`. Without
 *   a credential containerd gives up: "pull access denied, repository does not exist or may
 *   require authorization: authorization failed: no basic auth credentials"; with one it tries
 *   it as basic auth and ends with "unexpected status from HEAD request to <url>: 401 Unauthorized".
 * - A project that does not exist: 401 without a challenge, the same "unexpected status".
 * - A tag or digest the repository lacks: "<image>: not found".
 */
export function registryPullOutcome(
  ctx: SandboxContext,
  image: string,
  credential: RegistryCredential | undefined,
): PullOutcome {
  const registry = ctx.registry;
  const at = image.indexOf('@');
  const colon = image.lastIndexOf(':');
  const tagged = at < 0 && colon > image.lastIndexOf('/');
  const repository = at >= 0 ? image.slice(0, at) : tagged ? image.slice(0, colon) : image;
  const reference = at >= 0 ? image.slice(at + 1) : tagged ? image.slice(colon + 1) : 'latest';
  const name = registry.repositoryName(repository) ?? repository;
  const scheme = ctx.urls.registry.startsWith('https:') ? 'https' : 'http';
  const url = `${scheme}://${registry.host}/v2/${name}/manifests/${reference}`;
  const unexpected = (status: number): PullOutcome => ({
    ok: false,
    notFound: false,
    message:
      `unexpected status from HEAD request to ${url}: ${status} ${STATUS_TEXT[status] ?? ''}`.trimEnd(),
  });
  if (ctx.faults.shouldFail('registry')) return unexpected(ctx.faults.get('registry').errorCode ?? 503);
  if (registry.auth === 'harbor') {
    const project = name.split('/')[0] ?? '';
    if (registry.accounts.project(project) === undefined) return unexpected(401);
    const principal =
      credential === undefined
        ? ANONYMOUS
        : registry.accounts.authenticate(credential.username, credential.password);
    if (!registry.accounts.can(principal, project, 'pull')) {
      if (credential !== undefined) return unexpected(401);
      return {
        ok: false,
        notFound: false,
        message:
          'pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials',
      };
    }
  }
  const digest = isDigest(reference) ? reference : registry.storage.tagDigest(name, reference);
  const manifest = digest === undefined ? undefined : registry.storage.manifest(name, digest);
  if (manifest === undefined) return { ok: false, notFound: true, message: `${image}: not found` };
  return { ok: true, imageID: `${repository}@${manifest.digest}`, size: imageSize(ctx, manifest.digest) };
}

/** The compressed size of an image: its config and layers, as the kubelet's "Image size" reports. */
function imageSize(ctx: SandboxContext, digest: string): number {
  const doc = JSON.parse(ctx.registry.storage.blobs.readSync(digest).toString('utf8')) as {
    config?: { size?: number };
    layers?: Array<{ size?: number }>;
  };
  return (doc.config?.size ?? 0) + (doc.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
}
