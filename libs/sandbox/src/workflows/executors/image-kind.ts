/**
 * How the sandbox runs a step, decided by its image:
 *
 * - `shell`: images that are a shell plus common tools. The step's command, args or script run on
 *   this machine with /bin/sh (or bash, node, python...), with paths remapped (see PathMapper).
 *   Recognized: an image whose name (without registry and tag) is one of {@link SHELL_IMAGES},
 *   or whose name contains `git` (alpine/git, bitnami/git, ...).
 * - `kaniko`: `gcr.io/kaniko-project/executor` (any name containing `kaniko`), interpreted.
 * - `buildkit`: `moby/buildkit` (any name containing `buildkit`), interpreted.
 * - `argocd`: `quay.io/argoproj/argocd`, `argoproj/argocd` (a last path segment `argocd` or
 *   `argo-cd`), interpreted against the sandbox Argo CD.
 * - anything else fails the step: `sandbox cannot run image "X": ...`.
 */
export type ImageKind = 'shell' | 'kaniko' | 'buildkit' | 'argocd' | 'unsupported';

/** Last path segments of images run as local shells. */
export const SHELL_IMAGES: readonly string[] = [
  'alpine',
  'busybox',
  'debian',
  'ubuntu',
  'bash',
  'node',
  'python',
  'buildpack-deps',
  'fedora',
  'minideb',
  'curl',
  'git',
];

/** `registry.example.com:5000/team/app:v1@sha256:..` → `team/app` (Docker Hub's `library/` dropped). */
export function imageRepository(image: string): string {
  let ref = image.trim();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost'))
    parts.shift();
  if (parts[0] === 'library' && parts.length > 1) parts.shift();
  return parts.join('/').toLowerCase();
}

export function imageKind(image: string): ImageKind {
  const repo = imageRepository(image);
  const last = repo.split('/').pop() ?? '';
  if (repo.includes('kaniko')) return 'kaniko';
  if (repo.includes('buildkit')) return 'buildkit';
  if (last === 'argocd' || last === 'argo-cd') return 'argocd';
  if (SHELL_IMAGES.includes(last) || repo.includes('git')) return 'shell';
  return 'unsupported';
}

/** The entrypoint an image runs when the template gives no command (`alpine/git` is `git`). */
export function defaultEntrypoint(image: string): string[] {
  const repo = imageRepository(image);
  if (repo === 'alpine/git') return ['git'];
  return [];
}
