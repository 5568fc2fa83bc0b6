import type { GitUser } from './git-accounts';
import { teamsOf, type Organization } from './git-organizations';
import type { RepoRecord } from './git-repositories';

export type AccessMode = 'none' | 'read' | 'write' | 'admin' | 'owner';

const RANK: Record<AccessMode, number> = { none: 0, read: 1, write: 2, admin: 3, owner: 4 };

export function atLeast(mode: AccessMode, wanted: AccessMode): boolean {
  return RANK[mode] >= RANK[wanted];
}

/** Gitea's HasOrgOrUserVisible: public for all, limited for signed-in users, private for members. */
export function orgVisibleTo(org: Organization, user: GitUser | undefined): boolean {
  if (org.visibility === 'public') return true;
  if (user === undefined) return false;
  if (org.visibility === 'limited' || user.isAdmin) return true;
  return teamsOf(org, user.login).length > 0;
}

/**
 * A user's access to an organization's repository (a simplified GetUserRepoPermission): site
 * admins own everything; nobody sees into an organization they may not see; otherwise the best
 * of their teams (every team covers all of the organization's repositories), their own
 * collaborator permission, and read access to a public repository.
 */
export function repoAccess(org: Organization, repo: RepoRecord, user: GitUser | undefined): AccessMode {
  if (user?.isAdmin === true) return 'owner';
  if (!orgVisibleTo(org, user)) return 'none';
  let mode: AccessMode = repo.private ? 'none' : 'read';
  if (user === undefined) return mode;
  const lower = user.login.toLowerCase();
  const granted: AccessMode[] = [
    ...teamsOf(org, user.login).map((t) => t.permission),
    ...Object.entries(repo.collaborators)
      .filter(([login]) => login.toLowerCase() === lower)
      .map(([, permission]) => permission),
  ];
  for (const g of granted) if (RANK[g] > RANK[mode]) mode = g;
  return mode;
}
