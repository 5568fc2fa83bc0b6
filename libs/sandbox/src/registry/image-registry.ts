import { createHash } from 'node:crypto';

export interface PushedImage {
  /** `registry/team/app` */
  repository: string;
  tag: string;
  /** `sha256:<64 hex>` */
  digest: string;
  pushedAt: Date;
}

/**
 * The sandbox's container registry: image builders push here, and pods of an image it never saw
 * go to ImagePullBackOff. It stores no layers, only what was pushed under which tag and digest.
 */
export class ImageRegistry {
  private readonly images = new Map<string, PushedImage>();

  constructor(readonly host: string) {}

  /** Records `repository:tag` and returns the pushed image with a content-derived digest. */
  push(repository: string, tag: string, content: string): PushedImage {
    const digest = `sha256:${createHash('sha256').update(`${repository}:${tag}\n${content}`).digest('hex')}`;
    const image = { repository, tag, digest, pushedAt: new Date() };
    this.images.set(`${repository}:${tag}`, image);
    this.images.set(`${repository}@${digest}`, image);
    return image;
  }

  /** Looks up `repo:tag` or `repo@sha256:...` (a bare `repo` means `repo:latest`). */
  find(reference: string): PushedImage | undefined {
    if (reference.includes('@')) return this.images.get(reference);
    const lastSlash = reference.lastIndexOf('/');
    const hasTag = reference.lastIndexOf(':') > lastSlash;
    return this.images.get(hasTag ? reference : `${reference}:latest`);
  }

  list(): PushedImage[] {
    return [...new Set(this.images.values())];
  }

  clear(): void {
    this.images.clear();
  }
}
