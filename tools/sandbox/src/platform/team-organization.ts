import type { SandboxContext } from '../core/sandbox-context';
import { gitStore } from '../git/git-store';

/**
 * A team's organization the way this project asks a platform team to create it: private, owned
 * by the site administrator, with a team `platform-api` that may create repositories and write to
 * all of them, whose one member is the git user. Kept when it exists.
 */
export function createTeamOrganization(ctx: SandboxContext, team: string): void {
  const { orgs, accounts } = gitStore(ctx);
  if (orgs.find(team) !== undefined) return;
  orgs.create({
    name: team,
    owner: accounts.admin.login,
    visibility: 'private',
    teams: [
      { name: 'platform-api', permission: 'write', canCreateOrgRepo: true, members: [accounts.user.login] },
    ],
  });
}
