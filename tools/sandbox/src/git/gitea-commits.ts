import type { Organization } from './git-organizations';
import type { RepoInfo } from './git-repositories';
import { runGit } from './git-command';
import { sendApiError, sendApiNotFound, sendGiteaJson } from './gitea-errors';
import type { ApiCall, GiteaState } from './gitea-server-state';

/** Gitea's setting.Git.CommitsRangeSize: the page size with a path, and the largest without. */
const COMMITS_RANGE_SIZE = 50;
/** setting.API.DefaultPagingNum. */
const DEFAULT_PAGE_SIZE = 30;
const SEPARATOR = '\x1e';

/**
 * `GET /repos/{owner}/{repo}/commits` as Gitea answers it (routers/api/v1/repo/commits.go,
 * GetAllCommits): newest first from `sha` (a branch or commit; the default branch without one),
 * only those touching `path` when given; `page` is 1-based and `limit` is ignored with a path
 * (pages of 50 then); 409 for an empty repository, 404 when no commit touches the path. The
 * commits carry what the platform reads (sha, message, author and committer with their dates,
 * parents); stats, files and verification, which Gitea adds by default, are left out.
 */
export async function listCommits(
  state: GiteaState,
  call: ApiCall,
  found: { org: Organization; repo: RepoInfo },
): Promise<void> {
  const { org, repo } = found;
  if (repo.empty) {
    sendApiError(call.res, call.base, 409, 'Git Repository is empty.');
    return;
  }
  const path = call.query.get('path') ?? '';
  const sha = call.query.get('sha') || repo.defaultBranch;
  const page = Math.max(1, Number(call.query.get('page')) || 1);
  const asked = Number(call.query.get('limit')) || DEFAULT_PAGE_SIZE;
  const pageSize = path === '' ? Math.min(asked, COMMITS_RANGE_SIZE) : COMMITS_RANGE_SIZE;
  const cwd = state.repos.pathOf(org.name, repo.name);
  const scope = path === '' ? [sha] : [sha, '--', path];
  const counted = await runGit(['rev-list', '--count', ...scope], { cwd });
  if (counted.code !== 0) {
    sendApiError(call.res, call.base, 500, `GetCommit: object does not exist [id: ${sha}, rel_path: ]`);
    return;
  }
  const total = Number(counted.stdout.trim());
  if (path !== '' && total === 0) {
    sendApiNotFound(call.res, call.base);
    return;
  }
  const format = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x00');
  const logged = await runGit(
    [
      'log',
      `--format=${format}${SEPARATOR}`,
      `--skip=${(page - 1) * pageSize}`,
      `-n`,
      `${pageSize}`,
      ...scope,
    ],
    { cwd },
  );
  const apiBase = `${call.base}/api/v1/repos/${org.name}/${repo.name}`;
  const commits = logged.stdout
    .split(`${SEPARATOR}\n`)
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [hash = '', parents = '', an, ae, ad, cn, ce, cd, message = ''] = entry.split('\0');
      return {
        url: `${apiBase}/git/commits/${hash}`,
        sha: hash,
        created: cd,
        html_url: `${call.base}/${org.name}/${repo.name}/commit/${hash}`,
        commit: {
          url: `${apiBase}/git/commits/${hash}`,
          author: { name: an, email: ae, date: ad },
          committer: { name: cn, email: ce, date: cd },
          message,
          tree: { url: `${apiBase}/git/trees/${hash}`, sha: hash },
        },
        author: null,
        committer: null,
        parents: parents
          .split(' ')
          .filter((p) => p !== '')
          .map((p) => ({ url: `${apiBase}/git/commits/${p}`, sha: p })),
      };
    });
  const pageCount = Math.ceil(total / pageSize);
  call.res.setHeader('x-total-count', String(total));
  call.res.setHeader('x-page', String(page));
  call.res.setHeader('x-perpage', String(pageSize));
  call.res.setHeader('x-total', String(total));
  call.res.setHeader('x-pagecount', String(pageCount));
  call.res.setHeader('x-hasmore', String(page < pageCount));
  sendGiteaJson(call.res, 200, commits);
}
