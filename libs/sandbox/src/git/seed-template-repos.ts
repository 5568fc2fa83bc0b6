import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import type { SandboxContext } from '../core/sandbox-context';
import { mustGit, runGit } from './git-command';
import { gitRoot } from './git-handler';
import { GitRepositories } from './git-repositories';
import { repoNameProblem } from './repo-name';

/** Author and committer of the seed commits. */
export const SEED_AUTHOR = { name: 'sandbox', email: 'sandbox@sandbox.local' };

/**
 * Turns each sub-folder of `dir` into a bare repository named after the folder, holding one
 * commit of the folder's files on `main` (author "sandbox"). Idempotent: a repository that
 * already has a `main` branch is left as it is (so pushes made since are kept). Folders whose
 * name is not a valid repository name are skipped. Returns the names of the template
 * repositories, sorted.
 */
export async function seedTemplateRepos(ctx: SandboxContext, dir: string): Promise<string[]> {
  const repos = new GitRepositories(gitRoot(ctx));
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && repoNameProblem(e.name) === undefined)
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    if (!repos.exists(name))
      await repos.create(name, { description: `template ${name}`, defaultBranch: 'main' });
    const bare = repos.pathOf(name);
    const hasMain = await runGit(['rev-parse', '--verify', '--quiet', 'refs/heads/main'], { cwd: bare });
    if (hasMain.code === 0) continue;
    await commitFolder(bare, path.join(dir, name), `Initial commit of template ${name}`);
  }
  return names;
}

/**
 * Commits the files of `folder` to `refs/heads/main` of a bare repository without a clone: a
 * throw-away index plus `write-tree` and `commit-tree`, so the template folder is never touched.
 */
async function commitFolder(bare: string, folder: string, message: string): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbox-seed-'));
  try {
    const env = {
      GIT_DIR: bare,
      GIT_WORK_TREE: folder,
      GIT_INDEX_FILE: path.join(scratch, 'index'),
      GIT_AUTHOR_NAME: SEED_AUTHOR.name,
      GIT_AUTHOR_EMAIL: SEED_AUTHOR.email,
      GIT_COMMITTER_NAME: SEED_AUTHOR.name,
      GIT_COMMITTER_EMAIL: SEED_AUTHOR.email,
    };
    await mustGit(['add', '--all', '.'], { cwd: folder, env });
    const tree = (await mustGit(['write-tree'], { cwd: folder, env })).trim();
    const commit = (await mustGit(['commit-tree', tree, '-m', message], { cwd: folder, env })).trim();
    await mustGit(['update-ref', 'refs/heads/main', commit], { cwd: folder, env });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
