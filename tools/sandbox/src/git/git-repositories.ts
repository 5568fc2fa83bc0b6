import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mustGit, runGit } from './git-command';
import type { GitIds } from './git-ids';
import { RepoRedirects } from './git-redirects';

export type CollaboratorPermission = 'read' | 'write' | 'admin';

/** What the git server records about a repository besides its git data. */
export interface RepoRecord {
  id: number;
  /** The owner's name as it was spelled. */
  owner: string;
  name: string;
  description: string;
  private: boolean;
  template: boolean;
  createdAt: string;
  updatedAt: string;
  /** Users with access of their own (Gitea makes a creator who is not an org owner a repo admin). */
  collaborators: Record<string, CollaboratorPermission>;
  /** Read-only (Gitea's is_archived); records written before archiving existed lack these. */
  archived?: boolean;
  /** When it was archived (Gitea's archived_unix, whole seconds). */
  archivedAt?: string;
  website?: string;
}

/** What PATCH /repos/{owner}/{repo} may change of a record (the name has {@link GitRepositories.rename}). */
export type RepoChanges = Partial<
  Pick<
    RepoRecord,
    'description' | 'website' | 'private' | 'template' | 'archived' | 'archivedAt' | 'updatedAt'
  >
>;

export interface RepoInfo extends RepoRecord {
  defaultBranch: string;
  /** True until the first push. */
  empty: boolean;
  objectFormat: 'sha1' | 'sha256';
}

export interface NewRepository {
  owner: string;
  name: string;
  description?: string;
  private?: boolean;
  template?: boolean;
  defaultBranch?: string;
  objectFormat?: 'sha1' | 'sha256';
  collaborators?: Record<string, CollaboratorPermission>;
}

export class RepoExistsError extends Error {
  constructor(
    readonly owner: string,
    readonly repo: string,
  ) {
    super(`repository already exists [uname: ${owner}, name: ${repo}]`);
    this.name = 'RepoExistsError';
  }
}

const RECORD = 'sandbox-repo.json';

/**
 * The bare repositories under `<root>/<owner>/<name>.git`, lower-cased as Gitea stores them (names
 * are case-insensitive). A repository exists when its folder holds a HEAD, so git over HTTP and
 * the API always agree; its record sits in the bare folder, where git ignores it.
 */
export class GitRepositories {
  readonly redirects: RepoRedirects;

  constructor(
    readonly root: string,
    private readonly ids: GitIds,
  ) {
    this.redirects = new RepoRedirects(root);
  }

  pathOf(owner: string, name: string): string {
    return path.join(this.root, owner.toLowerCase(), `${name.toLowerCase()}.git`);
  }

  exists(owner: string, name: string): boolean {
    return existsSync(path.join(this.pathOf(owner, name), 'HEAD'));
  }

  /** Creates an empty bare repository that accepts pushes over HTTP. */
  async create(input: NewRepository): Promise<RepoInfo> {
    const dir = this.pathOf(input.owner, input.name);
    mkdirSync(path.dirname(dir), { recursive: true });
    try {
      // Taking the folder first makes a concurrent second create of the same name fail here.
      mkdirSync(dir);
    } catch {
      throw new RepoExistsError(input.owner, input.name);
    }
    try {
      const branch = input.defaultBranch ?? 'main';
      await mustGit([
        'init',
        '--quiet',
        '--bare',
        `--initial-branch=${branch}`,
        ...(input.objectFormat === 'sha256' ? ['--object-format=sha256'] : []),
        dir,
      ]);
      // git http-backend refuses receive-pack for anonymous users unless the repository opts in;
      // the server decides who may push before git sees the request.
      await mustGit(['config', 'http.receivepack', 'true'], { cwd: dir });
      await mustGit(['config', 'uploadpack.allowAnySHA1InWant', 'true'], { cwd: dir });
      const now = new Date().toISOString();
      const record: RepoRecord = {
        id: this.ids.next('repo'),
        owner: input.owner,
        name: input.name,
        description: input.description ?? '',
        private: input.private ?? false,
        template: input.template ?? false,
        createdAt: now,
        updatedAt: now,
        collaborators: input.collaborators ?? {},
      };
      writeFileSync(path.join(dir, RECORD), JSON.stringify(record, null, 2));
      // createRepositoryInDB: the name stops redirecting to a renamed repository.
      this.redirects.delete(input.owner, input.name);
      return await this.mustInfo(input.owner, input.name);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  async info(owner: string, name: string): Promise<RepoInfo | undefined> {
    if (!this.exists(owner, name)) return undefined;
    const dir = this.pathOf(owner, name);
    let record: RepoRecord;
    try {
      record = JSON.parse(readFileSync(path.join(dir, RECORD), 'utf8')) as RepoRecord;
    } catch {
      return undefined; // still being created
    }
    const head = readFileSync(path.join(dir, 'HEAD'), 'utf8').trim();
    const defaultBranch = head.startsWith('ref: refs/heads/')
      ? head.slice('ref: refs/heads/'.length)
      : 'main';
    const refs = await runGit(['for-each-ref', '--count=1', '--format=%(refname)', 'refs/heads'], {
      cwd: dir,
    });
    const format = await runGit(['rev-parse', '--show-object-format'], { cwd: dir });
    return {
      ...record,
      defaultBranch,
      empty: refs.stdout.trim() === '',
      objectFormat: format.stdout.trim() === 'sha256' ? 'sha256' : 'sha1',
    };
  }

  async mustInfo(owner: string, name: string): Promise<RepoInfo> {
    const info = await this.info(owner, name);
    if (info === undefined) throw new Error(`repository ${owner}/${name} vanished`);
    return info;
  }

  /** Every repository of an owner, by id (Gitea lists `id ASC`). */
  async list(owner: string): Promise<RepoInfo[]> {
    const folder = path.join(this.root, owner.toLowerCase());
    const entries = existsSync(folder) ? readdirSync(folder, { withFileTypes: true }) : [];
    const infos = await Promise.all(
      entries
        .filter((e) => e.isDirectory() && e.name.endsWith('.git'))
        .map((e) => this.info(owner, e.name.slice(0, -'.git'.length))),
    );
    return infos.filter((i): i is RepoInfo => i !== undefined).sort((a, b) => a.id - b.id);
  }

  /** GetRepositoryByID within an owner (the sandbox transfers no repositories). */
  async byId(owner: string, id: number): Promise<RepoInfo | undefined> {
    return (await this.list(owner)).find((r) => r.id === id);
  }

  /**
   * changeRepositoryName once the name is usable and free: the folder moves to the new
   * (lower-cased) name, the old name redirects to the repository, and the record takes the new
   * name as it was spelled. A change of case only renames the record, as Gitea does.
   */
  rename(owner: string, name: string, newName: string): void {
    const record = this.readRecord(owner, name);
    if (name.toLowerCase() !== newName.toLowerCase()) {
      renameSync(this.pathOf(owner, name), this.pathOf(owner, newName));
      this.redirects.add(owner, record.id, record.name, newName);
    }
    this.writeRecord(owner, newName, { ...record, name: newName });
  }

  /** Saves changed fields of the record (Gitea's UpdateRepository / SetArchiveRepoState). */
  update(owner: string, name: string, changes: RepoChanges): void {
    this.writeRecord(owner, name, { ...this.readRecord(owner, name), ...changes });
  }

  delete(owner: string, name: string): void {
    const dir = this.pathOf(owner, name);
    if (existsSync(path.join(dir, RECORD))) this.redirects.deleteTo(owner, this.readRecord(owner, name).id);
    rmSync(dir, { recursive: true, force: true });
  }

  private readRecord(owner: string, name: string): RepoRecord {
    return JSON.parse(readFileSync(path.join(this.pathOf(owner, name), RECORD), 'utf8')) as RepoRecord;
  }

  private writeRecord(owner: string, name: string, record: RepoRecord): void {
    writeFileSync(path.join(this.pathOf(owner, name), RECORD), JSON.stringify(record, null, 2));
  }
}
