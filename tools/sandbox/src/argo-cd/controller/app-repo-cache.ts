import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '../../git/git-command';
import { lsRemote } from '../shared/git-remote';
import type { RepoCredentials } from '../shared/repo-credentials';

/** The credentials Argo CD holds for a repository URL right now (its Secrets can change). */
export type CredentialsLookup = (repoURL: string) => RepoCredentials | undefined;

/**
 * The repo-server's git side: one bare cache clone per repository URL under `root`, revisions
 * resolved with `git ls-remote` (branch, tag, HEAD, full or short SHA), fetching only when the
 * commit is not cached yet, and files read straight from the object database.
 */
export class RepoCache {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly root: string,
    private readonly credentials: CredentialsLookup = () => undefined,
  ) {}

  /** The commit SHA `revision` names in `repoURL` right now (refs listed as go-git lists them). */
  async resolve(repoURL: string, revision: string | undefined): Promise<string> {
    const wanted = revision === undefined || revision === '' ? 'HEAD' : revision;
    let refs: Map<string, string>;
    try {
      refs = await lsRemote(repoURL, this.credentials(repoURL));
    } catch (error) {
      throw new Error(`failed to list refs: ${(error as Error).message}`, { cause: error });
    }
    const fromRefs =
      refs.get(`refs/tags/${wanted}^{}`) ??
      refs.get(wanted === 'HEAD' ? 'HEAD' : `refs/heads/${wanted}`) ??
      refs.get(`refs/tags/${wanted}`) ??
      (wanted.startsWith('refs/') ? refs.get(wanted) : undefined);
    if (fromRefs !== undefined) {
      await this.ensureCommit(repoURL, fromRefs);
      return fromRefs;
    }
    if (/^[0-9a-f]{4,40}$/i.test(wanted)) {
      const sha = await this.ensureCommit(repoURL, wanted);
      if (sha !== undefined) return sha;
    }
    throw new Error(`unable to resolve '${wanted}' to a commit SHA`);
  }

  /** Paths (relative to the repository root) of the files under `dir` at `sha`. */
  async listFiles(
    repoURL: string,
    sha: string,
    dir: string,
    recursive: boolean,
  ): Promise<string[] | undefined> {
    const cache = await this.cacheDir(repoURL);
    const prefix = normalizeDir(dir);
    if (prefix !== '') {
      const type = await runGit(['cat-file', '-t', `${sha}:${prefix}`], { cwd: cache });
      if (type.code !== 0 || type.stdout.trim() !== 'tree') return undefined;
    }
    const args = [
      'ls-tree',
      '--name-only',
      ...(recursive ? ['-r'] : []),
      sha,
      ...(prefix === '' ? [] : ['--', `${prefix}/`]),
    ];
    const listed = await runGit(args, { cwd: cache });
    if (listed.code !== 0) throw new Error(lastLine(listed.stderr));
    return listed.stdout.split('\n').filter((line) => line !== '');
  }

  /** A file's text at `sha`, or undefined when it does not exist. */
  async readFile(repoURL: string, sha: string, file: string): Promise<string | undefined> {
    const cache = await this.cacheDir(repoURL);
    const shown = await runGit(['cat-file', 'blob', `${sha}:${path.posix.normalize(file)}`], { cwd: cache });
    return shown.code === 0 ? shown.stdout : undefined;
  }

  /**
   * Writes the whole repository at `sha` into the empty folder `dir`, as the repo server checks a
   * revision out before it generates manifests (charts may read files beside them).
   */
  async checkout(repoURL: string, sha: string, dir: string): Promise<void> {
    const cache = await this.cacheDir(repoURL);
    // A private index: the bare cache's own index (and other checkouts) stay untouched.
    const index = `${dir}.index`;
    try {
      const checkedOut = await runGit(['--work-tree', dir, 'checkout', '--force', sha, '--', '.'], {
        cwd: cache,
        env: { GIT_INDEX_FILE: index },
      });
      if (checkedOut.code !== 0) throw new Error(`failed to checkout ${sha}: ${lastLine(checkedOut.stderr)}`);
    } finally {
      await rm(index, { force: true });
    }
  }

  /** Makes sure the cache has `commitish`; returns its full SHA, or undefined when the remote lacks it. */
  private async ensureCommit(repoURL: string, commitish: string): Promise<string | undefined> {
    const cache = await this.cacheDir(repoURL);
    return this.exclusive(cache, async () => {
      const known = await this.commitOf(cache, commitish);
      if (known !== undefined) return known;
      const fetched = await this.git(
        [
          'fetch',
          '--quiet',
          '--force',
          '--prune',
          repoURL,
          '+refs/heads/*:refs/heads/*',
          '+refs/tags/*:refs/tags/*',
        ],
        cache,
        repoURL,
      );
      if (fetched.code !== 0) throw new Error(`failed to fetch ${commitish}: ${lastLine(fetched.stderr)}`);
      return this.commitOf(cache, commitish);
    });
  }

  private async commitOf(cache: string, commitish: string): Promise<string | undefined> {
    const parsed = await runGit(['rev-parse', '--verify', '--quiet', `${commitish}^{commit}`], {
      cwd: cache,
    });
    return parsed.code === 0 ? parsed.stdout.trim() : undefined;
  }

  private async cacheDir(repoURL: string): Promise<string> {
    const dir = path.join(this.root, createHash('sha256').update(repoURL).digest('hex').slice(0, 24));
    if (!existsSync(path.join(dir, 'HEAD'))) {
      await this.exclusive(dir, async () => {
        if (existsSync(path.join(dir, 'HEAD'))) return;
        await mkdir(dir, { recursive: true });
        await runGit(['init', '--quiet', '--bare', dir]);
      });
    }
    return dir;
  }

  /** git with the repository's credentials, if Argo CD has some for it. */
  private git(args: string[], cwd: string, repoURL: string) {
    const credentials = this.credentials(repoURL);
    const auth =
      credentials === undefined
        ? []
        : [
            '-c',
            `http.extraHeader=Authorization: Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
          ];
    return runGit([...auth, ...args], { cwd });
  }

  /** Runs `work` after every earlier call for the same key (one fetch per cache clone at a time). */
  private async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.locks.set(key, settled);
    try {
      return await next;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }
}

function normalizeDir(dir: string): string {
  const normalized = path.posix.normalize(dir === '' ? '.' : dir).replace(/\/+$/, '');
  return normalized === '.' ? '' : normalized.replace(/^\.\//, '');
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').replace(/^fatal: /, '');
}
