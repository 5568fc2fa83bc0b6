import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** An owner's redirects: a former repository name (lower-cased) and the id of the repository now. */
type RedirectTable = Record<string, number>;

const FILE = 'sandbox-repo-redirects.json';

/**
 * Gitea's `repo_redirect` table (models/repo/redirect.go): after a rename the old name of an
 * owner's repository leads to the repository, until a repository of that name is created again
 * or the repository is deleted. Names compare lower-cased. Kept per owner in the owner's folder,
 * next to its bare repositories.
 */
export class RepoRedirects {
  constructor(private readonly root: string) {}

  /** LookupRedirect: the id of the repository the name leads to, or undefined. */
  lookup(owner: string, name: string): number | undefined {
    return this.read(owner)[name.toLowerCase()];
  }

  /** NewRedirect: the new name stops redirecting (it is a repository now), the old one starts. */
  add(owner: string, repoId: number, oldName: string, newName: string): void {
    const table = this.read(owner);
    delete table[newName.toLowerCase()];
    table[oldName.toLowerCase()] = repoId;
    this.write(owner, table);
  }

  /** DeleteRedirect: a repository of that name was created. */
  delete(owner: string, name: string): void {
    const table = this.read(owner);
    if (!(name.toLowerCase() in table)) return;
    delete table[name.toLowerCase()];
    this.write(owner, table);
  }

  /** services/repository/delete.go: a deleted repository's redirects go with it. */
  deleteTo(owner: string, repoId: number): void {
    const table = this.read(owner);
    const kept = Object.fromEntries(Object.entries(table).filter(([, id]) => id !== repoId));
    if (Object.keys(kept).length !== Object.keys(table).length) this.write(owner, kept);
  }

  private file(owner: string): string {
    return path.join(this.root, owner.toLowerCase(), FILE);
  }

  private read(owner: string): RedirectTable {
    const file = this.file(owner);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RedirectTable) : {};
  }

  private write(owner: string, table: RedirectTable): void {
    mkdirSync(path.dirname(this.file(owner)), { recursive: true });
    writeFileSync(this.file(owner), JSON.stringify(table, null, 2));
  }
}
