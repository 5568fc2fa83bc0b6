import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GitAccounts, GitUser } from './git-accounts';
import type { GitOrganizations } from './git-organizations';
import type { GitRepositories } from './git-repositories';

/** What the git server's handlers share. */
export interface GiteaState {
  accounts: GitAccounts;
  orgs: GitOrganizations;
  repos: GitRepositories;
}

/** One API request once authenticated: the caller is undefined when anonymous. */
export interface ApiCall {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  caller: GitUser | undefined;
  /** The instance's root URL (Gitea's ROOT_URL, without the trailing slash). */
  base: string;
}
