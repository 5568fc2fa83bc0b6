import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { realTool, RealToolMissingError } from '../../tools/real-tools';

/** The repo server's exec timeout (`ARGOCD_EXEC_TIMEOUT`, 90 s by default). */
const EXEC_TIMEOUT_MS = 90_000;

export interface HelmCommandOptions {
  /** Helm processes run at once; the others wait (the repo server's `--parallelismlimit`). */
  parallelism?: number;
  timeoutMs?: number;
  /** Where the binary is; by default the real Helm from the pinned npm package. */
  binary?: () => Promise<string>;
}

/**
 * The real `helm` binary, run the way argo-cd `util/helm/cmd.go` runs it: in the chart's
 * directory, with a fresh Helm home (XDG_* and HELM_CONFIG_HOME in a temporary folder) so no
 * repository or registry configuration of this machine leaks in, and failures worded like
 * `util/exec` words them: "failed running helm: `helm <args>` failed exit status 1: <stderr>".
 */
export class HelmCommand {
  /** Helm processes started so far (the seeding benchmarks check it stays 0 for seeded apps). */
  runs = 0;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly parallelism: number;
  private readonly timeoutMs: number;
  private readonly binary: () => Promise<string>;

  constructor(options: HelmCommandOptions = {}) {
    this.parallelism = options.parallelism ?? 2;
    this.timeoutMs = options.timeoutMs ?? EXEC_TIMEOUT_MS;
    this.binary = options.binary ?? (() => realTool('helm'));
  }

  /** Runs `helm <args>` in `cwd`; resolves with its stdout, rejects with Argo CD's wording. */
  async run(args: string[], cwd: string): Promise<string> {
    const binary = await this.binary().catch((error: unknown) => {
      if (!(error instanceof RealToolMissingError)) throw error;
      throw new Error(
        `failed running helm: exec: "helm": executable file not found in $PATH (${error.message})`,
        { cause: error },
      );
    });
    await this.slot();
    const home = await mkdtemp(path.join(os.tmpdir(), 'helm'));
    try {
      this.runs += 1;
      return await this.spawn(binary, args, cwd, home);
    } finally {
      await rm(home, { recursive: true, force: true });
      this.release();
    }
  }

  private spawn(binary: string, args: string[], cwd: string, home: string): Promise<string> {
    const shown = ['helm', ...args].join(' ');
    return new Promise((resolve, reject) => {
      const child = spawn(binary, args, {
        cwd,
        env: {
          PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
          HOME: home,
          XDG_CACHE_HOME: `${home}/cache`,
          XDG_CONFIG_HOME: `${home}/config`,
          XDG_DATA_HOME: `${home}/data`,
          HELM_CONFIG_HOME: `${home}/config`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, this.timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`failed running helm: ${error.message}`, { cause: error }));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const stdout = Buffer.concat(out).toString('utf8');
        if (code === 0) return resolve(stdout.replace(/\n$/, ''));
        const stderr = Buffer.concat(err).toString('utf8').trim();
        const cause = timedOut
          ? `timeout after ${goDuration(this.timeoutMs)}`
          : signal !== null
            ? `signal: ${signalName(signal)}`
            : `exit status ${code ?? 1}`;
        const detail = timedOut || stderr === '' ? '' : `: ${stderr}`;
        reject(new Error(`failed running helm: \`${shown}\` failed ${cause}${detail}`));
      });
    });
  }

  private slot(): Promise<void> {
    if (this.active < this.parallelism) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.active -= 1;
  }
}

/** Go's `time.Duration` text for whole seconds and minutes (`1m30s`, `5s`). */
function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${seconds % 60}s` : `${seconds}s`;
}

/** Go's signal names for the signals a process usually dies of. */
function signalName(signal: NodeJS.Signals): string {
  const names: Partial<Record<NodeJS.Signals, string>> = {
    SIGKILL: 'killed',
    SIGTERM: 'terminated',
    SIGSEGV: 'segmentation fault',
    SIGABRT: 'aborted',
    SIGINT: 'interrupt',
  };
  return names[signal] ?? signal;
}
