import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from '../core/http-kit';
import { canCreateOrgRepo, type Organization, type OrgVisibility } from './git-organizations';
import { atLeast, orgVisibleTo, repoAccess } from './gitea-access';
import { bind, type FieldSpec } from './gitea-binding';
import { listCommits } from './gitea-commits';
import { bindCreateRepoOption, createRepo } from './gitea-create-repo';
import { bindEditRepoOption, editRepo } from './gitea-edit-repo';
import { assignedRepo } from './gitea-repo-assignment';
import { sendApiError, sendApiNotFound, sendGiteaJson, sendHttpError } from './gitea-errors';
import { orgJson, repoJson, userJson } from './gitea-json';
import { usernameRefusal } from './gitea-names';
import type { ApiCall, GiteaState } from './gitea-server-state';
import type { GitUser } from './git-accounts';

/** The Gitea release whose API the sandbox speaks (read from go-gitea/gitea, late 2025). */
export const GITEA_VERSION = '1.25.0';

/** api.CreateOrgOption with its binding tags (modules/structs/org.go). */
const CREATE_ORG_OPTION: FieldSpec[] = [
  { go: 'UserName', key: 'username', type: 'string', rules: ['Required', 'Username', { maxSize: 40 }] },
  { go: 'FullName', key: 'full_name', type: 'string', rules: [{ maxSize: 100 }] },
  { go: 'Email', key: 'email', type: 'string', rules: [{ maxSize: 255 }] },
  { go: 'Description', key: 'description', type: 'string', rules: [{ maxSize: 255 }] },
  { go: 'Website', key: 'website', type: 'string', rules: [{ maxSize: 255 }] },
  { go: 'Location', key: 'location', type: 'string', rules: [{ maxSize: 50 }] },
  {
    go: 'Visibility',
    key: 'visibility',
    type: 'string',
    rules: [{ in: ['', 'public', 'limited', 'private'] }],
  },
  { go: 'RepoAdminChangeTeamAccess', key: 'repo_admin_change_team_access', type: 'bool' },
];

const DEFAULT_PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 50;

/**
 * The part of Gitea's API v1 (routers/api/v1/api.go) that the platform and a platform team's
 * scripts use, with Gitea's middleware order: the organization or repository is looked up (404)
 * before the caller must be signed in (401 "token is required"), the body is bound (422) before
 * permissions are checked (403). Unknown paths get Go's plain `404 page not found`.
 */
export function giteaApi(
  state: GiteaState,
): (call: Omit<ApiCall, 'params' | 'query'>, url: URL) => Promise<void> {
  const calls = new WeakMap<IncomingMessage, ApiCall>();
  const route =
    (handler: (call: ApiCall) => Promise<void> | void) =>
    (req: IncomingMessage, _res: ServerResponse, params: Record<string, string>) => {
      const call = calls.get(req);
      return call === undefined ? undefined : handler({ ...call, params });
    };
  const router = new Router()
    .on(
      'GET',
      '/api/v1/version',
      route(({ res }) => sendGiteaJson(res, 200, { version: GITEA_VERSION })),
    )
    .on(
      'GET',
      '/api/v1/user',
      route((call) => {
        const user = signedIn(call);
        if (user !== undefined) sendGiteaJson(call.res, 200, userJson(call.base, user, true));
      }),
    )
    .on(
      'POST',
      '/api/v1/orgs',
      route((call) => createOrg(state, call)),
    )
    .on(
      'GET',
      '/api/v1/orgs/:org',
      route((call) => {
        const org = assignedOrg(state, call);
        if (org === undefined) return;
        if (!orgVisibleTo(org, call.caller)) sendApiNotFound(call.res, call.base, 'HasOrgOrUserVisible');
        else sendGiteaJson(call.res, 200, orgJson(call.base, org, call.caller === undefined));
      }),
    )
    .on(
      'GET',
      '/api/v1/orgs/:org/repos',
      route((call) => listOrgRepos(state, call)),
    )
    .on(
      'POST',
      '/api/v1/orgs/:org/repos',
      route(async (call) => {
        const org = assignedOrg(state, call);
        if (org === undefined) return;
        const doer = signedIn(call);
        if (doer === undefined) return;
        const bound = await bindCreateRepoOption(call.req);
        if (!bound.ok) {
          sendApiError(call.res, call.base, 422, bound.message);
          return;
        }
        if (!orgVisibleTo(org, doer)) {
          sendApiNotFound(call.res, call.base, 'HasOrgOrUserVisible');
          return;
        }
        if (!doer.isAdmin && !canCreateOrgRepo(org, doer.login)) {
          sendApiError(
            call.res,
            call.base,
            403,
            'Given user is not allowed to create repository in organization.',
          );
          return;
        }
        const outcome = await createRepo(state.repos, org, doer, bound.option);
        if (outcome.status === 201)
          sendGiteaJson(call.res, 201, repoJson(call.base, org, outcome.repo, 'owner'));
        else sendApiError(call.res, call.base, outcome.status, outcome.message);
      }),
    )
    .on(
      'GET',
      '/api/v1/repos/:owner/:repo',
      route(async (call) => {
        const found = await assignedRepo(state, call);
        if (found !== undefined)
          sendGiteaJson(call.res, 200, repoJson(call.base, found.org, found.repo, found.access));
      }),
    )
    .on(
      'GET',
      '/api/v1/repos/:owner/:repo/commits',
      route(async (call) => {
        const found = await assignedRepo(state, call);
        if (found !== undefined) await listCommits(state, call, found);
      }),
    )
    .on(
      'PATCH',
      '/api/v1/repos/:owner/:repo',
      route(async (call) => {
        // Patch(reqToken(), reqAdmin(), bind(api.EditRepoOption{}), repo.Edit): 403 before 422.
        const found = await assignedRepo(state, call);
        const doer = found === undefined ? undefined : signedIn(call);
        if (found === undefined || doer === undefined) return;
        if (!atLeast(found.access, 'admin')) {
          const message = 'user should be an owner or a collaborator with admin write of a repository';
          sendApiError(call.res, call.base, 403, message);
          return;
        }
        const bound = await bindEditRepoOption(call.req);
        if (!bound.ok) {
          sendApiError(call.res, call.base, 422, bound.message);
          return;
        }
        const outcome = await editRepo(state.repos, found.org, found.repo, bound.option);
        if (outcome.status === 200)
          sendGiteaJson(call.res, 200, repoJson(call.base, found.org, outcome.repo, found.access));
        else sendApiError(call.res, call.base, outcome.status, outcome.message);
      }),
    )
    .on(
      'DELETE',
      '/api/v1/repos/:owner/:repo',
      route(async (call) => {
        const found = await assignedRepo(state, call);
        if (found === undefined || signedIn(call) === undefined) return;
        if (!atLeast(found.access, 'owner')) {
          sendApiError(call.res, call.base, 403, 'user should be the owner of the repo');
          return;
        }
        state.repos.delete(found.org.name, found.repo.name);
        call.res.writeHead(204, { 'x-content-type-options': 'nosniff' });
        call.res.end();
      }),
    );

  return async (call, url) => {
    const match = router.match(call.req.method ?? 'GET', url.pathname);
    if (match === undefined) {
      sendHttpError(call.res, 404, '404 page not found');
      return;
    }
    if (match === 'method') {
      call.res.writeHead(405);
      call.res.end();
      return;
    }
    calls.set(call.req, { ...call, params: match.params, query: url.searchParams });
    await match.handler(call.req, call.res, match.params, url.searchParams);
  };
}

/** reqToken(): the signed-in user, or a 401 already sent. */
function signedIn(call: ApiCall): GitUser | undefined {
  if (call.caller === undefined) sendApiError(call.res, call.base, 401, 'token is required');
  return call.caller;
}

/** orgAssignment(true): the organization, or a 404 already sent. */
function assignedOrg(state: GiteaState, call: ApiCall): Organization | undefined {
  const name = call.params.org ?? '';
  const org = state.orgs.find(name);
  if (org === undefined) {
    sendApiNotFound(call.res, call.base, 'GetOrgByName', [`user redirect does not exist [name: ${name}]`]);
  }
  return org;
}

async function createOrg(state: GiteaState, call: ApiCall): Promise<void> {
  const doer = signedIn(call);
  if (doer === undefined) return;
  const bound = await bind(call.req, 'CreateOrgOption', CREATE_ORG_OPTION);
  if (!bound.ok) {
    sendApiError(call.res, call.base, 422, bound.message);
    return;
  }
  const option = bound.values;
  const name = option.text('username');
  const refusal = usernameRefusal(name);
  if (refusal !== undefined) {
    sendApiError(call.res, call.base, 422, refusal.message);
    return;
  }
  const taken = state.accounts.byLogin(name) !== undefined;
  const org = taken
    ? undefined
    : state.orgs.create({
        name,
        owner: doer.login,
        visibility: (option.text('visibility') || 'public') as OrgVisibility,
        fullName: option.text('full_name'),
        description: option.text('description'),
        email: option.text('email'),
        website: option.text('website'),
        location: option.text('location'),
        repoAdminChangeTeamAccess: option.flag('repo_admin_change_team_access'),
      });
  if (org === undefined) {
    sendApiError(call.res, call.base, 422, `user already exists [name: ${name}]`);
    return;
  }
  sendGiteaJson(call.res, 201, orgJson(call.base, org, false));
}

/** listUserRepos: the repositories the caller may see, by id, paged (X-Total-Count counts them all). */
async function listOrgRepos(state: GiteaState, call: ApiCall): Promise<void> {
  const org = assignedOrg(state, call);
  if (org === undefined) return;
  const all = (await state.repos.list(org.name)).filter((r) => call.caller !== undefined || !r.private);
  const page = Math.max(1, Number.parseInt(call.query.get('page') ?? '', 10) || 1);
  const asked = Number.parseInt(call.query.get('limit') ?? '', 10) || 0;
  const size = asked <= 0 ? DEFAULT_PAGE_SIZE : Math.min(asked, MAX_PAGE_SIZE);
  const items = all
    .slice((page - 1) * size, page * size)
    .map((repo) => ({ repo, access: repoAccess(org, repo, call.caller) }))
    .filter(({ access }) => access !== 'none')
    .map(({ repo, access }) => repoJson(call.base, org, repo, access));
  sendGiteaJson(call.res, 200, items, { 'x-total-count': String(all.length) });
}
