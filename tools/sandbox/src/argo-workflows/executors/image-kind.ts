import type { ImageExecutor } from './images/image-facts';
import { imageFacts } from './images/image-manifest';

/**
 * How the sandbox runs a step, decided by its image's entry in the image manifest
 * (images/image-manifest.ts): every step runs as a real process with the image's shell, PATH,
 * user and folders; `kaniko`, `buildkit` and `argocd` images also get their own program
 * (kaniko's executor, buildctl, the argocd CLI) interpreted by the sandbox. An image the manifest
 * does not list is `unsupported`: the step fails saying the sandbox does not know it.
 */
export type ImageKind = ImageExecutor | 'unsupported';

export function imageKind(image: string): ImageKind {
  return imageFacts(image)?.executor ?? 'unsupported';
}
