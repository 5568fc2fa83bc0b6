/** The parts of an image reference the sandbox tells images apart by. */
export interface ImageReference {
  /** `team/app` for `registry.example.com:5000/team/app:v1` (Docker Hub's `library/` dropped). */
  repository: string;
  /** The tag (`latest` when none is given and no digest pins it; '' for a digest only). */
  tag: string;
}

/** Splits an image reference into repository and tag, as a container runtime reads it. */
export function splitImageReference(image: string): ImageReference {
  let ref = image.trim();
  const at = ref.indexOf('@');
  const pinned = at >= 0;
  if (pinned) ref = ref.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  let tag = pinned ? '' : 'latest';
  if (colon > slash) {
    tag = ref.slice(colon + 1);
    ref = ref.slice(0, colon);
  }
  const parts = ref.split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost'))
    parts.shift();
  if (parts[0] === 'library' && parts.length > 1) parts.shift();
  return { repository: parts.join('/').toLowerCase(), tag };
}
