import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SimClock } from '../../core/sim-clock';
import {
  literal,
  parseScript,
  ShellSyntaxError,
  type AndOrList,
  type SimpleCommand,
  type Word,
} from './shell-syntax';

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

const BUILTINS = [
  'set',
  'echo',
  'printf',
  'export',
  'unset',
  'true',
  'false',
  ':',
  'exit',
  'sleep',
  'cd',
  'cat',
  'mkdir',
];

/** `exit N` unwinds the interpreter with this. */
class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

interface Sinks {
  out: (text: string) => void;
  err: (text: string) => void;
  flush?: () => Promise<void>;
}

/**
 * Runs a script in the sh subset of {@link parseScript}, with a few builtins (set, echo, printf,
 * export, unset, true, false, :, exit, sleep, cd, cat, mkdir) and the given interpreted
 * commands. Every command name is checked before anything runs, so an unsupported script fails
 * without side effects. Exit status follows sh: the last command's, or the first failure under
 * `set -e`.
 */
export class MiniShell {
  private readonly vars: Map<string, string>;
  private cwd: string;
  private errexit: boolean;
  private nounset = false;
  private xtrace = false;
  private status = 0;

  constructor(private readonly options: MiniShellOptions) {
    this.vars = new Map(Object.entries(options.env));
    this.cwd = options.cwd;
    this.errexit = options.errexit ?? false;
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
    return this.runLists(this.check(script));
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
        new Map(this.vars),
      );
    } catch (error) {
      if (error instanceof ExitSignal) return error.code;
      throw error;
    }
  }

  private knows(name: string): boolean {
    return (
      BUILTINS.includes(name) ||
      this.options.commands[name] !== undefined ||
      this.options.commands[path.basename(name)] !== undefined
    );
  }

  private async runLists(lists: AndOrList[]): Promise<number> {
    try {
      for (const list of lists) {
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
        this.status = status;
        if (this.errexit && status !== 0 && ranLast) return status;
        if (this.options.signal.aborted) return 137;
      }
      return this.status;
    } catch (error) {
      if (error instanceof ExitSignal) return error.code;
      throw error;
    }
  }

  private async exec(command: SimpleCommand | undefined): Promise<number> {
    if (command === undefined) return 0;
    const assigned = new Map<string, string>();
    for (const a of command.assignments) assigned.set(a.name, this.expand(a.value).join(' '));
    const argv = command.words.flatMap((w) => this.expand(w));
    if (argv.length === 0) {
      for (const [k, v] of assigned) this.vars.set(k, v);
      return 0;
    }
    const [name = '', ...args] = argv;
    if (this.xtrace) this.options.err(`+ ${argv.join(' ')}\n`);
    const sinks = this.redirections(command);
    const env = new Map(this.vars);
    for (const [k, v] of assigned) env.set(k, v);
    if (!this.knows(name)) throw new UnknownCommandError(name);
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
    const handler = this.options.commands[name] ?? this.options.commands[path.basename(name)];
    if (handler !== undefined) {
      return handler([name, ...args], {
        env,
        cwd: this.cwd,
        out: sinks.out,
        err: sinks.err,
        resolvePath: (p) => this.hostPath(p),
        signal: this.options.signal,
      });
    }
    return this.builtin(name, args, sinks);
  }

  private hostPath(p: string): string {
    const absolute = p.startsWith('/') ? p : path.posix.join(this.cwd, p);
    return this.options.toHost(absolute);
  }

  private async builtin(name: string, args: string[], io: Sinks): Promise<number> {
    switch (name) {
      case 'set':
        for (const arg of args) {
          if (!/^[-+][a-z]+$/.test(arg)) continue;
          const on = arg.startsWith('-');
          if (arg.includes('e')) this.errexit = on;
          if (arg.includes('u')) this.nounset = on;
          if (arg.includes('x')) this.xtrace = on;
        }
        return 0;
      case 'echo': {
        const newline = args[0] !== '-n';
        const words = newline ? args : args.slice(1);
        io.out(`${words.join(' ')}${newline ? '\n' : ''}`);
        return 0;
      }
      case 'printf':
        io.out(printf(args[0] ?? '', args.slice(1)));
        return 0;
      case 'export':
        for (const arg of args) {
          const eq = arg.indexOf('=');
          if (eq > 0) this.vars.set(arg.slice(0, eq), arg.slice(eq + 1));
        }
        return 0;
      case 'unset':
        for (const arg of args) this.vars.delete(arg);
        return 0;
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      case 'exit':
        throw new ExitSignal(args[0] === undefined ? this.status : Number.parseInt(args[0], 10) || 0);
      case 'sleep':
        await this.options.clock.sleep(Number.parseFloat(args[0] ?? '0') * 1000);
        return 0;
      case 'cd':
        this.cwd = path.posix.resolve(this.cwd, args[0] ?? '/');
        return 0;
      case 'cat':
        for (const file of args) {
          try {
            io.out(await readFile(this.hostPath(file), 'utf8'));
          } catch {
            io.err(`cat: can't open '${file}': No such file or directory\n`);
            return 1;
          }
        }
        return 0;
      case 'mkdir':
        for (const dir of args.filter((a) => !a.startsWith('-')))
          await mkdir(this.hostPath(dir), { recursive: true });
        return 0;
      default:
        throw new UnknownCommandError(name);
    }
  }

  /** Output sinks of a command after its redirections; file output is written when it ends. */
  private redirections(command: SimpleCommand): Sinks {
    const base = { 1: this.options.out, 2: this.options.err };
    const files: Array<{ file: string; append: boolean; chunks: string[] }> = [];
    const sinks: Record<1 | 2, (text: string) => void> = { ...base };
    for (const r of command.redirects) {
      if (r.op === '>&') {
        sinks[r.fd] = sinks[r.target as 1 | 2];
        continue;
      }
      const target = this.expand(r.target as Word).join(' ');
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

  /** Expands a word into fields: parameter expansion, then field splitting of unquoted results. */
  private expand(word: Word): string[] {
    const fields: string[] = [];
    let current = '';
    let has = false;
    const flush = (): void => {
      if (has || current !== '') fields.push(current);
      current = '';
      has = false;
    };
    for (const part of word.parts) {
      if (part.kind === 'lit') {
        current += part.text;
        has = true;
        continue;
      }
      const value = this.parameter(part.expr);
      if (part.quoted) {
        current += value;
        has = true;
        continue;
      }
      const pieces = value.split(/[ \t\n]+/);
      pieces.forEach((piece, i) => {
        if (i > 0) flush();
        current += piece;
      });
    }
    flush();
    return fields;
  }

  private parameter(expr: string): string {
    if (expr === '?') return String(this.status);
    if (expr === '$') return '1';
    if (expr === '#') return '0';
    if (expr.startsWith('#')) return String((this.vars.get(expr.slice(1)) ?? '').length);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*!-])(?:(:?)([-=?+])(.*))?$/s.exec(expr);
    if (m === null) throw new ShellSyntaxError(`bad substitution: \${${expr}}`);
    const [, name = '', colon, op, word = ''] = m;
    const value = this.vars.get(name);
    const unset = value === undefined || (colon === ':' && value === '');
    const alternative = (): string => this.expandText(word);
    switch (op) {
      case '-':
        return unset ? alternative() : (value ?? '');
      case '=':
        if (unset) this.vars.set(name, alternative());
        return this.vars.get(name) ?? '';
      case '?':
        if (unset) {
          this.options.err(`sh: ${name}: ${word === '' ? 'parameter not set' : this.expandText(word)}\n`);
          throw new ExitSignal(2);
        }
        return value ?? '';
      case '+':
        return unset ? '' : alternative();
      default:
        if (value === undefined && this.nounset) {
          this.options.err(`sh: ${name}: parameter not set\n`);
          throw new ExitSignal(2);
        }
        return value ?? '';
    }
  }

  private expandText(text: string): string {
    return text.replace(
      /\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (_m, braced: string | undefined, bare: string | undefined) => this.parameter(braced ?? bare ?? ''),
    );
  }
}

function printf(format: string, args: string[]): string {
  let i = 0;
  const unescaped = format.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  let out = '';
  do {
    out += unescaped.replace(/%([sd%])/g, (_m, spec: string) => (spec === '%' ? '%' : (args[i++] ?? '')));
  } while (i > 0 && i < args.length);
  return out;
}
