export { gitHandler } from './git-handler';
export { gitRoot, gitStore } from './git-store';
export { GitAccounts, type GitUser } from './git-accounts';
export { GitOrganizations, type Organization, type OrgTeam, type OrgVisibility } from './git-organizations';
export { GitRepositories, RepoExistsError, type RepoInfo, type NewRepository } from './git-repositories';
export { seedTemplateRepos, SEED_AUTHOR } from './seed-template-repos';
export { GITEA_VERSION } from './gitea-api';
