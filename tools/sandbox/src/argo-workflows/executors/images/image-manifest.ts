import { ALPINE, ALPINE_GIT, BUILDKIT_ROOTLESS, BUSYBOX, CURL, NODE_ALPINE } from './alpine-images';
import { ARGOCD, DEBIAN, UBUNTU } from './debian-images';
import type { ImageFacts } from './image-facts';
import { splitImageReference } from './image-reference';
import { KANIKO_ARCHIVED, KANIKO_FORK } from './kaniko-images';

/**
 * Every image the sandbox can run a step of: the images the platform's WorkflowTemplates and the
 * tests use. A step of any other image fails, saying the sandbox does not know it: running it
 * with this machine's tools would pass steps the real image would fail.
 */
export const IMAGE_MANIFEST: readonly ImageFacts[] = [
  ALPINE,
  BUSYBOX,
  ALPINE_GIT,
  CURL,
  NODE_ALPINE,
  BUILDKIT_ROOTLESS,
  DEBIAN,
  UBUNTU,
  ARGOCD,
  KANIKO_FORK,
  KANIKO_ARCHIVED,
];

/** What the sandbox knows about an image, or undefined when it does not know it. */
export function imageFacts(image: string): ImageFacts | undefined {
  const { repository, tag } = splitImageReference(image);
  return IMAGE_MANIFEST.find(
    (facts) => facts.repository === repository && (facts.tags === undefined || facts.tags.test(tag)),
  );
}

/** `alpine`, `node (tags matching /alpine/)`: the manifest's images, for messages. */
export function knownImages(): string {
  return IMAGE_MANIFEST.map((f) =>
    f.tags === undefined ? f.repository : `${f.repository} (tags matching ${String(f.tags)})`,
  ).join(', ');
}
