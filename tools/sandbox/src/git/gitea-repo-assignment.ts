import type { Organization } from './git-organizations';
import type { RepoInfo } from './git-repositories';
import { repoAccess, type AccessMode } from './gitea-access';
import { sendApiNotFound } from './gitea-errors';
import { sendRepoRedirect } from './gitea-redirect';
import type { ApiCall, GiteaState } from './gitea-server-state';

export interface AssignedRepo {
  org: Organization;
  repo: RepoInfo;
  access: AccessMode;
}

/**
 * routers/api/v1/api.go repoAssignment(), which runs before anything else of a
 * `/repos/{owner}/{repo}…` route: the owner (404 GetUserByName), then the repository; a name the
 * owner has no repository of but a redirect for (a former name) answers RedirectToRepo's 301
 * before any permission is looked at, to anyone; then a repository the caller may not see is 404.
 * Undefined when the answer has been sent.
 */
export async function assignedRepo(state: GiteaState, call: ApiCall): Promise<AssignedRepo | undefined> {
  const owner = call.params.owner ?? '';
  const name = call.params.repo ?? '';
  const org = state.orgs.find(owner);
  if (org === undefined) {
    if (state.accounts.byLogin(owner) === undefined) {
      sendApiNotFound(call.res, call.base, 'GetUserByName', [
        `user redirect does not exist [name: ${owner}]`,
      ]);
    } else {
      sendApiNotFound(call.res, call.base); // users own no repositories in the sandbox
    }
    return undefined;
  }
  const repo = await state.repos.info(org.name, name);
  if (repo === undefined) {
    const redirectId = state.repos.redirects.lookup(org.name, name);
    if (redirectId === undefined) {
      sendApiNotFound(call.res, call.base);
    } else {
      const target = await state.repos.byId(org.name, redirectId);
      sendRepoRedirect(call.req, call.res, {
        ownerParam: owner,
        repoParam: name,
        target: target && { owner: target.owner, name: target.name },
        api: true,
      });
    }
    return undefined;
  }
  const access = repoAccess(org, repo, call.caller);
  if (access === 'none') {
    sendApiNotFound(call.res, call.base);
    return undefined;
  }
  return { org, repo, access };
}
