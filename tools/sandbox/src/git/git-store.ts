import path from 'node:path';
import type { SandboxContext } from '../core/sandbox-context';
import { GitAccounts } from './git-accounts';
import { GitIds } from './git-ids';
import { GitOrganizations } from './git-organizations';
import { GitRepositories } from './git-repositories';
import type { GiteaState } from './gitea-server-state';

/** Where the git server keeps its organizations and bare repositories. */
export function gitRoot(ctx: SandboxContext): string {
  return path.join(ctx.config.dataDir, 'git');
}

const stores = new WeakMap<SandboxContext, GiteaState>();

/** The git server's accounts, organizations and repositories of a sandbox (files under gitRoot). */
export function gitStore(ctx: SandboxContext): GiteaState {
  let state = stores.get(ctx);
  if (state === undefined) {
    const root = gitRoot(ctx);
    const ids = new GitIds(root);
    state = {
      accounts: new GitAccounts(ctx.config),
      orgs: new GitOrganizations(root, ids),
      repos: new GitRepositories(root, ids),
    };
    stores.set(ctx, state);
  }
  return state;
}
