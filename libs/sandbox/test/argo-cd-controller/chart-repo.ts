import { execFileSync } from 'node:child_process';
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

/** A real bare git repository (the "manifests repo") and a work tree that commits and pushes to it. */
export class ChartRepo {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'argocd-controller-test-'));
  readonly bare = path.join(this.root, 'manifests.git');
  private readonly work = path.join(this.root, 'work');

  constructor() {
    this.git(this.root, 'init', '--quiet', '--bare', '--initial-branch=main', this.bare);
    this.git(this.root, 'clone', '--quiet', this.bare, this.work);
    this.git(this.work, 'checkout', '--quiet', '-b', 'main');
  }

  /** Writes the files (relative paths), commits them on main, pushes; returns the commit SHA. */
  commit(files: Record<string, string>, message = 'update'): string {
    for (const [file, text] of Object.entries(files)) {
      const full = path.join(this.work, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    this.git(this.work, 'add', '--all');
    this.git(this.work, 'commit', '--quiet', '-m', message);
    this.git(this.work, 'push', '--quiet', 'origin', 'HEAD:main', '--tags');
    return this.git(this.work, 'rev-parse', 'HEAD').trim();
  }

  tag(name: string): void {
    this.git(this.work, 'tag', name);
    this.git(this.work, 'push', '--quiet', 'origin', name);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private git(cwd: string, ...args: string[]): string {
    return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
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
