import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mustGit } from './git-command';

export interface CommitAuthor {
  name: string;
  email: string;
  message: string;
  /** Author and committer date (default now): a fixed date makes the same files the same commit. */
  date?: Date;
}

/**
 * Commits the files of `folder` to `refs/heads/<branch>` of a bare repository without a clone:
 * a throw-away index plus `write-tree` and `commit-tree`, so the folder is never touched.
 */
export async function commitFolder(
  bare: string,
  branch: string,
  folder: string,
  author: CommitAuthor,
): Promise<string> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbox-commit-'));
  try {
    const env = {
      GIT_DIR: bare,
      GIT_WORK_TREE: folder,
      GIT_INDEX_FILE: path.join(scratch, 'index'),
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      ...(author.date === undefined ? {} : gitDates(author.date)),
    };
    await mustGit(['add', '--all', '.'], { cwd: folder, env });
    const tree = (await mustGit(['write-tree'], { cwd: folder, env })).trim();
    const commit = (await mustGit(['commit-tree', tree, '-m', author.message], { cwd: folder, env })).trim();
    await mustGit(['update-ref', `refs/heads/${branch}`, commit], { cwd: folder, env });
    return commit;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Commits the given files (path → text) as the only content of `branch`. */
export async function commitFiles(
  bare: string,
  branch: string,
  files: Record<string, string>,
  author: CommitAuthor,
): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'sandbox-files-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
      await writeFile(path.join(folder, file), text);
    }
    return await commitFolder(bare, branch, folder, author);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function gitDates(date: Date): Record<string, string> {
  // Git's internal format: seconds since the epoch and a zone.
  const stamp = `${Math.floor(date.getTime() / 1000)} +0000`;
  return { GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp };
}
