export { gitHandler, gitRoot } from './git-handler';
export { GitRepositories, RepoExistsError, type RepoInfo } from './git-repositories';
export type { GitErrorBody, RepoResource } from './git-rest';
export { seedTemplateRepos, SEED_AUTHOR } from './seed-template-repos';
export { repoNameProblem, MAX_REPO_NAME_LENGTH } from './repo-name';
