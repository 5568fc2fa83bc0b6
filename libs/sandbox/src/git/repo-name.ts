/** Longest repository name accepted: a DNS-1123 label, like the app names that become repos. */
export const MAX_REPO_NAME_LENGTH = 63;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` cannot be a repository name, or undefined when it can. */
export function repoNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'name is required';
  if (name.length > MAX_REPO_NAME_LENGTH) return `name must be at most ${MAX_REPO_NAME_LENGTH} characters`;
  if (!DNS_LABEL.test(name)) {
    return 'name must consist of lower case alphanumeric characters or "-", and start and end with an alphanumeric character';
  }
  return undefined;
}

/** Why `branch` cannot be a branch name (a conservative subset of git check-ref-format), or undefined. */
export function branchNameProblem(branch: unknown): string | undefined {
  if (typeof branch !== 'string' || branch === '') return 'defaultBranch must be a non-empty string';
  const bad =
    !/^[A-Za-z0-9._/-]+$/.test(branch) ||
    branch.startsWith('-') ||
    branch.startsWith('/') ||
    branch.endsWith('/') ||
    branch.endsWith('.') ||
    branch.endsWith('.lock') ||
    branch.includes('..') ||
    branch.includes('//');
  return bad ? `defaultBranch ${JSON.stringify(branch)} is not a valid branch name` : undefined;
}
