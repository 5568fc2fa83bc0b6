import { createHash } from 'node:crypto';
import type { SandboxContext } from '../core/sandbox-context';

export type PullResult = { ok: true; imageID: string; size: number } | { ok: false; message: string };

/**
 * What the container runtime answers for an image: images of the sandbox registry exist only once
 * pushed (so a deploy of an image never built fails as on a real cluster); images of any other
 * registry are assumed to exist, since the sandbox has no internet to ask.
 */
export function pullImage(ctx: SandboxContext, image: string): PullResult {
  if (isSandboxImage(ctx, image)) {
    const found = ctx.registry.find(image);
    if (found === undefined) {
      return {
        ok: false,
        message: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
      };
    }
    return { ok: true, imageID: `${found.repository}@${found.digest}`, size: sizeOf(found.digest) };
  }
  const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
  return { ok: true, imageID: `${repositoryOf(qualified(image))}@${digest}`, size: sizeOf(digest) };
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
