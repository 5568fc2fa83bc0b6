import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
const TEMPLATES = path.join(__dirname, '..', '..', '..', '..', 'deploy', 'templates', 'repos');

interface Summary {
  urls: { git: string };
}

/** Starts the CLI and resolves with its JSON summary line, or rejects with its stderr. */
function startCli(args: string[], cwd: string): { summary: Promise<Summary>; stop: () => Promise<void> } {
  const child = spawn(process.execPath, [CLI, '--json', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const summary = new Promise<Summary>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline !== -1) resolve(JSON.parse(stdout.slice(0, newline)) as Summary);
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited with ${code ?? 'a signal'}: ${stderr}`)));
  });
  // Waits for the exit, so the data dir is not removed under a sandbox still stopping.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { summary, stop };
}

/** A newcomer runs the CLI from wherever they stand, with paths relative to it. */
describe('the sandbox CLI given relative paths', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'sandbox-cli-cwd-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('reads them from the working directory', async () => {
    const cli = startCli(['--templates', path.relative(cwd, TEMPLATES), '--data-dir', 'data'], cwd);
    try {
      const { urls } = await cli.summary;
      const res = await fetch(`${urls.git}/api/v1/orgs/platform-templates/repos`);
      const repos = (await res.json()) as Array<{ name: string }>;
      expect(repos.map((r) => r.name).sort()).toEqual([
        'go-service',
        'go-service-manifests',
        'node-service',
        'node-service-manifests',
      ]);
      expect(existsSync(path.join(cwd, 'data', 'git'))).toBe(true);
    } finally {
      await cli.stop();
    }
  });
});
