import { createHash } from 'node:crypto';
import type { SandboxContext } from '../../core/sandbox-context';
import type { RegistryCredential } from '../../registry/client/docker-config';
import { registryPullOutcome } from './registry-pull';
import { pullCredentials } from './pull-credentials';

export type PullResult =
  { ok: true; imageID: string; size: number } | { ok: false; message: string; notFound: boolean };

/** What a pod brings to a pull: its namespace and `imagePullSecrets`. */
export interface PullingPod {
  namespace: string;
  imagePullSecrets?: unknown;
}

/**
 * What the kubelet's container runtime (containerd) answers for an image. Images of the sandbox
 * registry are resolved there as containerd resolves them (HEAD of the manifest, Harbor's token
 * auth, each of the pod's pull credentials in turn, then anonymously when none matches), so a
 * never-pushed image, a private project without a pull credential and a credential of another
 * project all fail as on a real node. Images of other registries are assumed to exist, since the
 * sandbox has no internet to ask.
 */
export function pullImage(ctx: SandboxContext, image: string, pod: PullingPod): PullResult {
  if (!isSandboxImage(ctx, image)) {
    const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
    return { ok: true, imageID: `${repositoryOf(qualified(image))}@${digest}`, size: sizeOf(digest) };
  }
  const credentials = pullCredentials(ctx, pod.namespace, pod.imagePullSecrets, repositoryOf(image));
  const attempts: Array<RegistryCredential | undefined> = credentials.length > 0 ? credentials : [undefined];
  const failures: string[] = [];
  for (const credential of attempts) {
    const outcome = registryPullOutcome(ctx, image, credential);
    if (outcome.ok) return outcome;
    failures.push(outcome.message);
    if (outcome.notFound) break;
  }
  const notFound = failures.length === 1 && failures[0]?.endsWith(': not found') === true;
  const why = failures.length === 1 ? (failures[0] ?? '') : `[${failures.join(', ')}]`;
  const code = notFound ? 'NotFound' : 'Unknown';
  return {
    ok: false,
    notFound,
    message: `rpc error: code = ${code} desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${why}`,
  };
}

/** The image id a node reports for an image already pulled (seeded pods), without asking again. */
export function imageIdOf(ctx: SandboxContext, image: string): string {
  if (!isSandboxImage(ctx, image)) {
    const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
    return `${repositoryOf(qualified(image))}@${digest}`;
  }
  const found = ctx.registry.find(image);
  return found === undefined ? '' : `${found.repository}@${found.digest}`;
}

export function isSandboxImage(ctx: SandboxContext, image: string): boolean {
  return image.startsWith(`${ctx.config.registryHost}/`);
}

/** `nginx:1.25` → `docker.io/library/nginx:1.25`, as containerd reports image ids. */
function qualified(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasRegistry =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/** The image reference without its tag or digest. */
export function repositoryOf(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(0, at);
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
}

function sizeOf(digest: string): number {
  return 5_000_000 + (parseInt(digest.slice(7, 13), 16) % 50_000_000);
}
