import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GitClient {
  home: string;
  /** Runs git asynchronously (the server under test lives in the same process). */
  git(args: string[], cwd?: string): Promise<{ code: number; out: string }>;
}

/** A throw-away git client: its own HOME and global config with an identity, no prompts. */
export function gitClient(): GitClient {
  const home = mkdtempSync(path.join(os.tmpdir(), 'git-client-'));
  const config = path.join(home, '.gitconfig');
  writeFileSync(
    config,
    '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n',
  );
  return {
    home,
    git(args, cwd = home) {
      return new Promise((resolve, reject) => {
        const child = spawn('git', args, {
          cwd,
          env: {
            PATH: process.env.PATH,
            HOME: home,
            GIT_CONFIG_NOSYSTEM: '1',
            GIT_CONFIG_GLOBAL: config,
            GIT_TERMINAL_PROMPT: '0',
          },
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? 1, out }));
      });
    },
  };
}
