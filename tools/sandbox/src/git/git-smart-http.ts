import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GitUser } from './git-accounts';
import { serveGitHttpBackend } from './git-cgi';
import { atLeast, repoAccess } from './gitea-access';
import { sendHttpError, sendPlainText } from './gitea-errors';
import { sendRepoRedirect } from './gitea-redirect';
import type { GiteaState } from './gitea-server-state';

/** `/<owner>/<repo>[.git]/<what git asks for>`: the paths Gitea serves git's smart HTTP on. */
const GIT_PATH =
  /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+)$/;

export function isGitPath(pathname: string): boolean {
  return GIT_PATH.test(pathname);
}

/**
 * Who may clone, fetch and push, as Gitea's routers/web/repo/githttp.go httpBase decides:
 *
 * - Only a pull from a public repository of a public organization needs no login. Anything else
 *   without one (a private repository, any push, a repository that does not exist, so that its
 *   absence is not given away) is 401 with `WWW-Authenticate: Basic realm="Gitea"`, and git
 *   retries with the credentials of the URL or its credential helper.
 * - A signed-in user without access gets 404 "Repository not found"; a push to a repository that
 *   does not exist is 403 (push-to-create is off for organizations by default).
 * - An unknown owner is 404 before anything else.
 * - A former name of a repository (renamed) answers RedirectToRepo's 301 to the same path under
 *   the new name, without `.git` (`/org/old.git/info/refs?service=…` leads to
 *   `/org/new/info/refs?service=…`), before any login is asked for; git follows a redirect of
 *   its first request (info/refs) and uses the new URL for the rest.
 * - A push to an archived repository is 403 "This repo is archived. You can view files and clone
 *   it, but cannot push or open issues/pull-requests." (plain text), before any login is asked
 *   for; clones and fetches go on as before.
 */
export async function serveGit(
  state: GiteaState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  caller: GitUser | undefined,
): Promise<void> {
  const m = GIT_PATH.exec(decodeURIComponent(url.pathname));
  const [, ownerName = '', repoName = '', rest = ''] = m ?? [];
  const service = url.searchParams.get('service') ?? '';
  const receivePack = service === 'git-receive-pack' || rest === 'git-receive-pack';
  const org = state.orgs.find(ownerName);
  if (org === undefined) {
    // A user owns no repositories in the sandbox: the answers for a repository that is missing.
    if (state.accounts.byLogin(ownerName) !== undefined) missingUserRepo(res, receivePack, caller);
    else sendHttpError(res, 404, '404 page not found');
    return;
  }
  const isPull =
    !receivePack &&
    (service === 'git-upload-pack' ||
      rest === 'git-upload-pack' ||
      req.method === 'GET' ||
      req.method === 'HEAD');
  const repo = await state.repos.info(org.name, repoName);
  if (repo === undefined) {
    const redirectId = state.repos.redirects.lookup(org.name, repoName);
    if (redirectId !== undefined) {
      const target = await state.repos.byId(org.name, redirectId);
      sendRepoRedirect(req, res, {
        ownerParam: ownerName,
        repoParam: decodeURIComponent(url.pathname).split('/')[2] ?? repoName,
        target: target && { owner: target.owner, name: target.name },
        api: false,
      });
      return;
    }
  }
  if (repo?.archived === true && !isPull) {
    sendPlainText(
      res,
      403,
      'This repo is archived. You can view files and clone it, but cannot push or open issues/pull-requests.',
    );
    return;
  }
  const isPublicPull = repo !== undefined && !repo.private && isPull && org.visibility === 'public';
  if (!isPublicPull) {
    if (caller === undefined) {
      sendHttpError(res, 401, 'Unauthorized', { 'www-authenticate': 'Basic realm="Gitea"' });
      return;
    }
    if (repo !== undefined && !atLeast(repoAccess(org, repo, caller), isPull ? 'read' : 'write')) {
      sendPlainText(res, 404, 'Repository not found');
      return;
    }
  }
  if (repo === undefined) {
    if (receivePack) sendPlainText(res, 403, 'Push to create is not enabled for organizations.');
    else sendPlainText(res, 404, 'Repository not found');
    return;
  }
  serveGitHttpBackend(req, res, {
    projectRoot: state.repos.root,
    pathInfo: `/${org.name.toLowerCase()}/${repo.name.toLowerCase()}.git/${rest}`,
    queryString: url.search.replace(/^\?/, ''),
    remoteUser: caller?.login,
  });
}

/** httpBase for a repository a user would own: it does not exist. */
function missingUserRepo(res: ServerResponse, receivePack: boolean, caller: GitUser | undefined): void {
  if (caller === undefined) {
    sendHttpError(res, 401, 'Unauthorized', { 'www-authenticate': 'Basic realm="Gitea"' });
  } else if (receivePack) {
    sendPlainText(res, 403, 'Push to create is not enabled for users.');
  } else {
    sendPlainText(res, 404, 'Repository not found');
  }
}
