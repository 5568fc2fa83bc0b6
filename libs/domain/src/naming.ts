/** Rules for what users may name, checked before anything reaches a workflow or a shell. */

/** A DNS-1123 label, at most `maxLength` (apps also become namespaces, repos and label values). */
export const APP_NAME_MAX_LENGTH = 40;
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function appNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > APP_NAME_MAX_LENGTH) return `must be at most ${APP_NAME_MAX_LENGTH} characters`;
  if (!DNS_1123_LABEL.test(name)) {
    return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/**
 * A git ref (branch, tag or commit) as `git check-ref-format` allows it, and further limited to a
 * safe character set so it can never be mistaken for an option or a shell construct.
 */
export function gitRefProblem(ref: string): string | undefined {
  if (ref.length === 0 || ref.length > 200) return 'must be 1 to 200 characters';
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(ref))
    return 'may contain only letters, digits, ".", "_", "/" and "-" and must start with a letter or digit';
  if (
    ref.includes('..') ||
    ref.includes('//') ||
    ref.endsWith('/') ||
    ref.endsWith('.') ||
    ref.endsWith('.lock')
  ) {
    return 'is not a valid git ref (no "..", "//", trailing "/" or ".", or ".lock" suffix)';
  }
  return undefined;
}

/** A container image tag (the OCI distribution spec's tag grammar). */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export function imageTagProblem(tag: string): string | undefined {
  return IMAGE_TAG.test(tag) ? undefined : 'must match [A-Za-z0-9_][A-Za-z0-9._-]{0,127}';
}
