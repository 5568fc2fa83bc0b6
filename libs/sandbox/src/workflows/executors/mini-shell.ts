import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SimClock } from '../../core/sim-clock';
import { BUILTINS, runBuiltin } from './shell-builtins';
import { ExitSignal, ShellState } from './shell-state';
import { literal, parseScript, type AndOrList, type SimpleCommand, type Word } from './shell-syntax';

/** What an interpreted command gets: its argv, its environment and where its output goes. */
export interface CommandIo {
  env: ReadonlyMap<string, string>;
  /** Current directory as a container path. */
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Host path of a container path (relative ones resolve against cwd). */
  resolvePath: (p: string) => string;
  signal: AbortSignal;
}

export type CommandHandler = (argv: string[], io: CommandIo) => Promise<number>;

export interface MiniShellOptions {
  env: Record<string, string>;
  /** Container path the script starts in. */
  cwd: string;
  /** Host path of an absolute container path. */
  toHost: (containerPath: string) => string;
  /** Interpreted programs by name (`argocd`, `/kaniko/executor`...). */
  commands: Record<string, CommandHandler>;
  out: (text: string) => void;
  err: (text: string) => void;
  signal: AbortSignal;
  clock: SimClock;
  /** `sh -e` / `set -e`. */
  errexit?: boolean;
}

/** The script used a command the sandbox does not interpret. */
export class UnknownCommandError extends Error {
  constructor(readonly command: string) {
    super(`command "${command}" is not interpreted`);
    this.name = 'UnknownCommandError';
  }
}

interface Sinks {
  out: (text: string) => void;
  err: (text: string) => void;
  flush?: () => Promise<void>;
}

/**
 * Runs a script in the sh subset of {@link parseScript}, with the builtins of shell-builtins.ts
 * and the given interpreted commands. Every literal command name is checked before anything
 * runs, so an unsupported script fails without side effects. Exit status follows sh: the last
 * command's, or the first failure under `set -e`.
 */
export class MiniShell {
  private readonly state: ShellState;

  constructor(private readonly options: MiniShellOptions) {
    this.state = new ShellState(options.env, options.cwd, options.errexit ?? false, options.err);
  }

  /** Parses and checks a script; throws ShellSyntaxError or UnknownCommandError. */
  check(script: string): AndOrList[] {
    const lists = parseScript(script);
    for (const list of lists) {
      for (const command of list.commands) {
        const name = command.words[0] === undefined ? undefined : literal(command.words[0]);
        if (name !== undefined && !this.knows(name)) throw new UnknownCommandError(name);
      }
    }
    return lists;
  }

  async run(script: string): Promise<number> {
    const lists = this.check(script);
    try {
      for (const list of lists) {
        const { status, ranLast } = await this.runList(list);
        this.state.status = status;
        if (this.state.errexit && status !== 0 && ranLast) return status;
        if (this.options.signal.aborted) return 137;
      }
      return this.state.status;
    } catch (error) {
      if (error instanceof ExitSignal) return error.code;
      throw error;
    }
  }

  /** Runs one command line given as argv (a container's command + args). */
  async runArgv(argv: string[]): Promise<number> {
    const [name, ...args] = argv;
    if (name === undefined) return 0;
    if (!this.knows(name)) throw new UnknownCommandError(name);
    try {
      return await this.invoke(
        name,
        args,
        { out: this.options.out, err: this.options.err },
        new Map(this.state.vars),
      );
    } catch (error) {
      if (error instanceof ExitSignal) return error.code;
      throw error;
    }
  }

  private knows(name: string): boolean {
    return BUILTINS.includes(name) || this.handler(name) !== undefined;
  }

  private handler(name: string): CommandHandler | undefined {
    return this.options.commands[name] ?? this.options.commands[path.basename(name)];
  }

  /** `a && b || c`: runs what the statuses allow; `ranLast` tells whether the last command ran. */
  private async runList(list: AndOrList): Promise<{ status: number; ranLast: boolean }> {
    let status = await this.exec(list.commands[0]);
    let ranLast = list.commands.length === 1;
    for (const [i, op] of list.ops.entries()) {
      if ((op === '&&' && status === 0) || (op === '||' && status !== 0)) {
        status = await this.exec(list.commands[i + 1]);
        ranLast = i + 1 === list.commands.length - 1;
      } else {
        ranLast = false;
      }
    }
    return { status, ranLast };
  }

  private async exec(command: SimpleCommand | undefined): Promise<number> {
    if (command === undefined) return 0;
    const assigned = new Map<string, string>();
    for (const a of command.assignments) assigned.set(a.name, this.state.expand(a.value).join(' '));
    const argv = command.words.flatMap((w) => this.state.expand(w));
    if (argv.length === 0) {
      for (const [k, v] of assigned) this.state.vars.set(k, v);
      return 0;
    }
    const [name = '', ...args] = argv;
    if (!this.knows(name)) throw new UnknownCommandError(name);
    if (this.state.xtrace) this.options.err(`+ ${argv.join(' ')}\n`);
    const sinks = this.redirections(command);
    const env = new Map(this.state.vars);
    for (const [k, v] of assigned) env.set(k, v);
    try {
      return await this.invoke(name, args, sinks, env);
    } finally {
      await sinks.flush?.();
    }
  }

  private async invoke(
    name: string,
    args: string[],
    sinks: Sinks,
    env: Map<string, string>,
  ): Promise<number> {
    const handler = this.handler(name);
    const hostPath = (p: string): string => this.hostPath(p);
    if (handler === undefined) {
      return runBuiltin(this.state, name, args, {
        out: sinks.out,
        err: sinks.err,
        hostPath,
        clock: this.options.clock,
      });
    }
    return handler([name, ...args], {
      env,
      cwd: this.state.cwd,
      out: sinks.out,
      err: sinks.err,
      resolvePath: hostPath,
      signal: this.options.signal,
    });
  }

  private hostPath(p: string): string {
    return this.options.toHost(p.startsWith('/') ? p : path.posix.join(this.state.cwd, p));
  }

  /** Output sinks of a command after its redirections; file output is written when it ends. */
  private redirections(command: SimpleCommand): Sinks {
    const files: Array<{ file: string; append: boolean; chunks: string[] }> = [];
    const sinks: Record<1 | 2, (text: string) => void> = { 1: this.options.out, 2: this.options.err };
    for (const r of command.redirects) {
      if (r.op === '>&') {
        sinks[r.fd] = sinks[r.target as 1 | 2];
        continue;
      }
      const target = this.state.expand(r.target as Word).join(' ');
      if (target === '/dev/null') {
        sinks[r.fd] = () => undefined;
        continue;
      }
      const entry = { file: this.hostPath(target), append: r.op === '>>', chunks: [] as string[] };
      files.push(entry);
      sinks[r.fd] = (text) => entry.chunks.push(text);
    }
    return {
      out: (text) => sinks[1](text),
      err: (text) => sinks[2](text),
      flush: async () => {
        for (const f of files) {
          await mkdir(path.dirname(f.file), { recursive: true });
          if (f.append) await appendFile(f.file, f.chunks.join(''));
          else await writeFile(f.file, f.chunks.join(''));
        }
      },
    };
  }
}
