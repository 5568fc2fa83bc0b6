import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxContext } from '../core/sandbox-context';
import { GitAccounts } from './git-accounts';
import { commitFolder } from './git-commit';
import { runGit } from './git-command';
import { gitStore } from './git-store';
import { isAlphaDashDot, repoNameRefusal } from './gitea-names';

/** Author and committer of the seed commits. */
export const SEED_AUTHOR = { name: 'sandbox', email: 'sandbox@sandbox.local' };

/**
 * Publishes each sub-folder of `dir` as a repository of the organization `config.gitTemplatesOrg`
 * (created public, owned by the site administrator, when missing), holding one commit of the
 * folder's files on `main` (author "sandbox"). The template repositories are PUBLIC: every
 * workflow step may clone them, signed in or not; their organization's teams decide who may
 * change them, and the platform's git user is in none of them. Idempotent: a repository that
 * already has a `main` branch is left as it is (so pushes made since are kept). Folders whose
 * name Gitea would refuse are skipped. Returns the names of the template repositories, sorted.
 */
export async function seedTemplateRepos(ctx: SandboxContext, dir: string): Promise<string[]> {
  const { orgs, repos } = gitStore(ctx);
  const owner = ctx.config.gitTemplatesOrg;
  if (orgs.find(owner) === undefined) {
    orgs.create({ name: owner, owner: GitAccounts.ADMIN_LOGIN, visibility: 'public' });
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && isAlphaDashDot(e.name) && repoNameRefusal(e.name) === undefined)
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    if (!repos.exists(owner, name)) {
      await repos.create({
        owner,
        name,
        description: `template ${name}`,
        private: false,
        defaultBranch: 'main',
      });
    }
    const bare = repos.pathOf(owner, name);
    const hasMain = await runGit(['rev-parse', '--verify', '--quiet', 'refs/heads/main'], { cwd: bare });
    if (hasMain.code === 0) continue;
    await commitFolder(bare, 'main', path.join(dir, name), {
      ...SEED_AUTHOR,
      message: `Initial commit of template ${name}`,
    });
  }
  return names;
}
