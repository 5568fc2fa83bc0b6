import { mustGit } from './git-command';

/**
 * The text of every file on `branch` of a bare repository, by path: what a clone of it would
 * check out, read without one (one `ls-tree`, then one `cat-file` per file).
 */
export async function readBranchFiles(bare: string, branch: string): Promise<Record<string, string>> {
  const listed = await mustGit(['ls-tree', '-r', '-z', '--name-only', `refs/heads/${branch}`], { cwd: bare });
  const paths = listed.split('\0').filter((file) => file !== '');
  const texts = await Promise.all(
    paths.map((file) => mustGit(['cat-file', 'blob', `refs/heads/${branch}:${file}`], { cwd: bare })),
  );
  return Object.fromEntries(paths.map((file, i) => [file, texts[i] ?? '']));
}
