import type { GitUser } from './git-accounts';
import type { Organization } from './git-organizations';
import type { RepoInfo } from './git-repositories';
import { atLeast, type AccessMode } from './gitea-access';

/** Go's time.Time in JSON for a time kept to the second, in UTC. */
function goTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const UNIX_EPOCH = '1970-01-01T00:00:00Z';

/** The swagger's User, as convert.ToUser writes it (e-mail only for the user themself). */
export function userJson(base: string, user: GitUser, self: boolean): Record<string, unknown> {
  return {
    id: user.id,
    login: user.login,
    login_name: '',
    source_id: 0,
    full_name: '',
    email: self ? `${user.login}@sandbox.local` : '',
    avatar_url: `${base}/avatars/${user.id}`,
    html_url: `${base}/${user.login}`,
    language: '',
    is_admin: user.isAdmin,
    last_login: ZERO_TIME,
    created: goTime(user.createdAt),
    restricted: false,
    active: true,
    prohibit_login: false,
    location: '',
    website: '',
    description: '',
    visibility: 'public',
    followers_count: 0,
    following_count: 0,
    starred_repos_count: 0,
  };
}

/** An organization where the swagger wants a User (a repository's owner). */
export function orgAsUserJson(base: string, org: Organization): Record<string, unknown> {
  return {
    id: org.id,
    login: org.name,
    login_name: '',
    source_id: 0,
    full_name: org.fullName,
    email: '',
    avatar_url: `${base}/avatars/${org.id}`,
    html_url: `${base}/${org.name}`,
    language: '',
    is_admin: false,
    last_login: ZERO_TIME,
    created: goTime(org.createdAt),
    restricted: false,
    active: false,
    prohibit_login: false,
    location: org.location,
    website: org.website,
    description: org.description,
    visibility: org.visibility,
    followers_count: 0,
    following_count: 0,
    starred_repos_count: 0,
  };
}

/** The swagger's Organization (convert.ToOrganization); the e-mail is hidden from anonymous callers. */
export function orgJson(base: string, org: Organization, anonymous: boolean): Record<string, unknown> {
  return {
    id: org.id,
    name: org.name,
    full_name: org.fullName,
    email: anonymous ? '' : org.email,
    avatar_url: `${base}/avatars/${org.id}`,
    description: org.description,
    website: org.website,
    location: org.location,
    visibility: org.visibility,
    repo_admin_change_team_access: org.repoAdminChangeTeamAccess,
    username: org.name,
  };
}

/** The swagger's Repository (convert.ToRepo) with the caller's permissions. */
export function repoJson(
  base: string,
  org: Organization,
  repo: RepoInfo,
  access: AccessMode,
): Record<string, unknown> {
  const fullName = `${org.name}/${repo.name}`;
  const apiUrl = `${base}/api/v1/repos/${fullName}`;
  return {
    id: repo.id,
    owner: orgAsUserJson(base, org),
    name: repo.name,
    full_name: fullName,
    description: repo.description,
    empty: repo.empty,
    private: repo.private,
    fork: false,
    template: repo.template,
    mirror: false,
    size: 0,
    language: '',
    languages_url: `${apiUrl}/languages`,
    html_url: `${base}/${fullName}`,
    url: apiUrl,
    link: '',
    ssh_url: `git@${new URL(base).hostname}:${fullName}.git`,
    clone_url: `${base}/${fullName}.git`,
    original_url: '',
    website: repo.website ?? '',
    stars_count: 0,
    forks_count: 0,
    watchers_count: 0,
    open_issues_count: 0,
    open_pr_counter: 0,
    release_counter: 0,
    default_branch: repo.defaultBranch,
    archived: repo.archived === true,
    created_at: goTime(repo.createdAt),
    updated_at: goTime(repo.updatedAt),
    archived_at: repo.archivedAt === undefined ? UNIX_EPOCH : goTime(repo.archivedAt),
    permissions: {
      admin: atLeast(access, 'admin'),
      push: atLeast(access, 'write'),
      pull: atLeast(access, 'read'),
    },
    has_code: true,
    has_issues: true,
    internal_tracker: {
      enable_time_tracker: true,
      allow_only_contributors_to_track_time: true,
      enable_issue_dependencies: true,
    },
    has_wiki: true,
    has_pull_requests: true,
    has_projects: true,
    projects_mode: 'all',
    has_releases: true,
    has_packages: true,
    has_actions: true,
    ignore_whitespace_conflicts: false,
    allow_merge_commits: true,
    allow_rebase: true,
    allow_rebase_explicit: true,
    allow_squash_merge: true,
    allow_fast_forward_only_merge: true,
    allow_rebase_update: true,
    allow_manual_merge: false,
    autodetect_manual_merge: false,
    default_delete_branch_after_merge: false,
    default_merge_style: 'merge',
    default_allow_maintainer_edit: false,
    avatar_url: '',
    internal: !repo.private && org.visibility === 'private',
    mirror_interval: '',
    object_format_name: repo.objectFormat,
    mirror_updated: ZERO_TIME,
    topics: [],
    licenses: [],
  };
}
