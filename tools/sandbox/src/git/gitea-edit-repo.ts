import type { IncomingMessage } from 'node:http';
import { mustGit, runGit } from './git-command';
import type { Organization } from './git-organizations';
import type { GitRepositories, RepoChanges, RepoInfo } from './git-repositories';
import { bind, type FieldSpec } from './gitea-binding';
import { repoNameRefusal } from './gitea-names';

const bool = (go: string, key: string): FieldSpec => ({ go, key, type: 'bool' });
const struct = (go: string, key: string, goType: string): FieldSpec => ({ go, key, type: 'object', goType });

/** api.EditRepoOption in struct order with its binding tags (modules/structs/repo.go, Gitea 1.25). */
const EDIT_REPO_OPTION: FieldSpec[] = [
  { go: 'Name', key: 'name', type: 'string', rules: ['AlphaDashDot', { maxSize: 100 }] },
  { go: 'Description', key: 'description', type: 'string', rules: [{ maxSize: 2048 }] },
  { go: 'Website', key: 'website', type: 'string', rules: [{ maxSize: 1024 }] },
  bool('Private', 'private'),
  bool('Template', 'template'),
  bool('HasCode', 'has_code'),
  bool('HasIssues', 'has_issues'),
  struct('InternalTracker', 'internal_tracker', 'structs.InternalTracker'),
  struct('ExternalTracker', 'external_tracker', 'structs.ExternalTracker'),
  bool('HasWiki', 'has_wiki'),
  struct('ExternalWiki', 'external_wiki', 'structs.ExternalWiki'),
  { go: 'DefaultBranch', key: 'default_branch', type: 'string' },
  bool('HasPullRequests', 'has_pull_requests'),
  bool('HasProjects', 'has_projects'),
  { go: 'ProjectsMode', key: 'projects_mode', type: 'string', rules: [{ in: ['repo', 'owner', 'all'] }] },
  bool('HasReleases', 'has_releases'),
  bool('HasPackages', 'has_packages'),
  bool('HasActions', 'has_actions'),
  bool('IgnoreWhitespaceConflicts', 'ignore_whitespace_conflicts'),
  bool('AllowMerge', 'allow_merge_commits'),
  bool('AllowRebase', 'allow_rebase'),
  bool('AllowRebaseMerge', 'allow_rebase_explicit'),
  bool('AllowSquash', 'allow_squash_merge'),
  bool('AllowFastForwardOnly', 'allow_fast_forward_only_merge'),
  bool('AllowManualMerge', 'allow_manual_merge'),
  bool('AutodetectManualMerge', 'autodetect_manual_merge'),
  bool('AllowRebaseUpdate', 'allow_rebase_update'),
  bool('DefaultDeleteBranchAfterMerge', 'default_delete_branch_after_merge'),
  { go: 'DefaultMergeStyle', key: 'default_merge_style', type: 'string' },
  bool('DefaultAllowMaintainerEdit', 'default_allow_maintainer_edit'),
  bool('Archived', 'archived'),
  { go: 'MirrorInterval', key: 'mirror_interval', type: 'string' },
  bool('EnablePrune', 'enable_prune'),
];

/**
 * The fields of an EditRepoOption the sandbox acts on; undefined is a field the body left out
 * (a nil pointer). The rest bind (and fail binding) as in Gitea, then change nothing: the sandbox
 * has no repository units (issues, wiki, pull requests, projects, …) and no mirrors, and Gitea
 * skips the mirror fields for a repository that is not a mirror.
 */
export interface EditRepoOption {
  name?: string;
  description?: string;
  website?: string;
  private?: boolean;
  template?: boolean;
  defaultBranch?: string;
  archived?: boolean;
}

/** `bind(api.EditRepoOption{})`: the option, or the 422 message. */
export async function bindEditRepoOption(
  req: IncomingMessage,
): Promise<{ ok: true; option: EditRepoOption } | { ok: false; message: string }> {
  const bound = await bind(req, 'EditRepoOption', EDIT_REPO_OPTION);
  if (!bound.ok) return bound;
  const v = bound.values;
  const text = (key: string) => (v.has(key) ? v.text(key) : undefined);
  const flag = (key: string) => (v.has(key) ? v.flag(key) : undefined);
  return {
    ok: true,
    option: {
      name: text('name'),
      description: text('description'),
      website: text('website'),
      private: flag('private'),
      template: flag('template'),
      defaultBranch: text('default_branch'),
      archived: flag('archived'),
    },
  };
}

export type EditRepoOutcome = { status: 200; repo: RepoInfo } | { status: 422; message: string };

/**
 * routers/api/v1/repo/repo.go Edit once the caller may (repo admin, owner or site admin):
 * updateBasicProperties, then updateRepoArchivedState.
 *
 * - A new name (not a change of case only) goes through services/repository ChangeRepositoryName:
 *   the lower-cased name must be usable (IsUsableRepoName) and free (IsRepositoryModelOrDirExist),
 *   each failure a 422 with the error's own message: `repository already exists [uname: <owner>,
 *   name: <new name, lower-cased>]`, `name is reserved [name: …]`, `name pattern is not allowed
 *   [pattern: …]`, or `ChangeRepositoryName: name is invalid […]: …` for other characters. The old
 *   name then redirects (models/repo/redirect.go NewRedirect).
 * - description, website, private, template are saved as given (ForcePrivate is off); the
 *   default branch only changes to a branch that exists, or in an empty repository.
 * - archived sets is_archived and archived_unix (0 when un-archived).
 * - Every successful edit saves the repository (UpdateRepository), which moves `updated_at`.
 */
export async function editRepo(
  repos: GitRepositories,
  org: Organization,
  repo: RepoInfo,
  option: EditRepoOption,
): Promise<EditRepoOutcome> {
  const newName = option.name ?? repo.name;
  if (newName.toLowerCase() !== repo.name.toLowerCase()) {
    const refusal = renameRefusal(repos, org, newName.toLowerCase());
    if (refusal !== undefined) return { status: 422, message: refusal };
    repos.rename(org.name, repo.name, newName);
  } else if (newName !== repo.name) {
    repos.rename(org.name, repo.name, newName);
  }
  const changes: RepoChanges = { updatedAt: new Date().toISOString() };
  if (option.description !== undefined) changes.description = option.description;
  if (option.website !== undefined) changes.website = option.website;
  if (option.private !== undefined) changes.private = option.private;
  if (option.template !== undefined) changes.template = option.template;
  await changeDefaultBranch(repos.pathOf(org.name, newName), repo, option.defaultBranch);
  if (option.archived !== undefined) {
    changes.archived = option.archived;
    changes.archivedAt = option.archived ? wholeSeconds(new Date()) : undefined;
  }
  repos.update(org.name, newName, changes);
  return { status: 200, repo: await repos.mustInfo(org.name, newName) };
}

/** changeRepositoryName's checks, on the lower-cased name: the 422 message, or undefined. */
function renameRefusal(repos: GitRepositories, org: Organization, lowerName: string): string | undefined {
  const refusal = repoNameRefusal(lowerName);
  if (refusal !== undefined) {
    // ErrNameCharsNotAllowed is not among the errors updateBasicProperties names: it is wrapped.
    return refusal.kind === 'chars' ? `ChangeRepositoryName: ${refusal.message}` : refusal.message;
  }
  if (repos.exists(org.name, lowerName)) {
    return `repository already exists [uname: ${org.name}, name: ${lowerName}]`;
  }
  return undefined;
}

async function changeDefaultBranch(dir: string, repo: RepoInfo, branch: string | undefined): Promise<void> {
  if (branch === undefined || branch === repo.defaultBranch) return;
  if (!repo.empty) {
    const found = await runGit(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: dir });
    if (found.code !== 0) return;
  }
  await mustGit(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], { cwd: dir });
}

/** archived_unix is a timestamp in seconds. */
function wholeSeconds(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}
