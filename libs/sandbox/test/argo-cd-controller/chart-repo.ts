import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

const run = promisify(execFile);

/**
 * A real bare git repository (the "manifests repo") and a work tree that commits and pushes to
 * it. Git runs asynchronously: the repository may be served over HTTP by this very process.
 */
export class ChartRepo {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'argocd-controller-test-'));
  readonly bare = path.join(this.root, 'manifests.git');
  private readonly work = path.join(this.root, 'work');

  private constructor() {}

  /** A new local bare repository, or a work tree of `remote` (e.g. an http URL) when given. */
  static async create(remote?: string): Promise<ChartRepo> {
    const repo = new ChartRepo();
    if (remote === undefined)
      await repo.git(repo.root, 'init', '--quiet', '--bare', '--initial-branch=main', repo.bare);
    await repo.git(repo.root, 'clone', '--quiet', remote ?? repo.bare, repo.work);
    await repo.git(repo.work, 'checkout', '--quiet', '-B', 'main');
    return repo;
  }

  /** Writes the files (relative paths), commits them on main, pushes; returns the commit SHA. */
  async commit(files: Record<string, string>, message = 'update'): Promise<string> {
    for (const [file, text] of Object.entries(files)) {
      const full = path.join(this.work, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    await this.git(this.work, 'add', '--all');
    await this.git(this.work, 'commit', '--quiet', '-m', message);
    await this.git(this.work, 'push', '--quiet', 'origin', 'HEAD:main', '--tags');
    return (await this.git(this.work, 'rev-parse', 'HEAD')).trim();
  }

  async tag(name: string): Promise<void> {
    await this.git(this.work, 'tag', name);
    await this.git(this.work, 'push', '--quiet', 'origin', name);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private async git(cwd: string, ...args: string[]): Promise<string> {
    return (await run('git', args, { cwd, env: ENV, encoding: 'utf8' })).stdout;
  }
}

/** A Helm-style chart: Chart.yaml, values.yaml and a values-dev.yaml overriding the image tag. */
export function chartFiles(
  image: string,
  tag: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1.0"\n',
    'chart/values.yaml': `image:\n  repository: ${image}\n  tag: latest\nreplicaCount: 2\nservice:\n  port: 80\ncontainerPort: 8080\nenv:\n  LOG_LEVEL: info\n`,
    'chart/values-dev.yaml': `image:\n  tag: "${tag}"\n`,
    ...extra,
  };
}
