import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mustGit, runGit } from './git-command';

/** What the sandbox knows about one bare repository. */
export interface RepoInfo {
  name: string;
  description: string;
  defaultBranch: string;
  /** True until the first push. */
  empty: boolean;
}

export class RepoExistsError extends Error {
  constructor(readonly repo: string) {
    super(`repository "${repo}" already exists`);
    this.name = 'RepoExistsError';
  }
}

const DEFAULT_DESCRIPTION = "Unnamed repository; edit this file 'description' to name the repository.";

/**
 * The bare repositories under `<dataDir>/git/<name>.git`. The file system is the only state: a
 * repository exists when its folder does, so the git CLI and the REST API always agree.
 */
export class GitRepositories {
  constructor(readonly root: string) {}

  pathOf(name: string): string {
    return path.join(this.root, `${name}.git`);
  }

  exists(name: string): boolean {
    return existsSync(path.join(this.pathOf(name), 'HEAD'));
  }

  /** Creates an empty bare repository that accepts pushes over HTTP. */
  async create(
    name: string,
    options: { description?: string; defaultBranch?: string } = {},
  ): Promise<RepoInfo> {
    if (this.exists(name)) throw new RepoExistsError(name);
    await mkdir(this.root, { recursive: true });
    const dir = this.pathOf(name);
    const branch = options.defaultBranch ?? 'main';
    await mustGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, dir]);
    // git http-backend refuses receive-pack for anonymous users unless the repository opts in.
    await mustGit(['config', 'http.receivepack', 'true'], { cwd: dir });
    await mustGit(['config', 'uploadpack.allowAnySHA1InWant', 'true'], { cwd: dir });
    if (options.description !== undefined)
      await writeFile(path.join(dir, 'description'), `${options.description}\n`);
    return this.info(name);
  }

  async info(name: string): Promise<RepoInfo> {
    const dir = this.pathOf(name);
    const head = (await readFile(path.join(dir, 'HEAD'), 'utf8')).trim();
    const defaultBranch = head.startsWith('ref: refs/heads/')
      ? head.slice('ref: refs/heads/'.length)
      : 'main';
    const rawDescription = await readFile(path.join(dir, 'description'), 'utf8').catch(() => '');
    const description = rawDescription.trim() === DEFAULT_DESCRIPTION ? '' : rawDescription.trim();
    const refs = await runGit(['for-each-ref', '--count=1', '--format=%(refname)', 'refs/heads'], {
      cwd: dir,
    });
    return { name, description, defaultBranch, empty: refs.stdout.trim() === '' };
  }

  /** Every repository, sorted by name. */
  async list(): Promise<RepoInfo[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    const names = entries
      .filter((e) => e.isDirectory() && e.name.endsWith('.git'))
      .map((e) => e.name.slice(0, -'.git'.length))
      .filter((name) => this.exists(name))
      .sort();
    return Promise.all(names.map((name) => this.info(name)));
  }

  async delete(name: string): Promise<void> {
    await rm(this.pathOf(name), { recursive: true, force: true });
  }
}
