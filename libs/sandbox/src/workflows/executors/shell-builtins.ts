import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SimClock } from '../../core/sim-clock';
import { ExitSignal, type ShellState } from './shell-state';

/** The shell builtins the interpreter knows. */
export const BUILTINS = [
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

export interface BuiltinIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Host path of a container path (relative ones against the current directory). */
  hostPath: (p: string) => string;
  clock: SimClock;
}

/** Runs one builtin; returns its exit status (or throws ExitSignal for `exit`). */
export async function runBuiltin(
  state: ShellState,
  name: string,
  args: string[],
  io: BuiltinIo,
): Promise<number> {
  switch (name) {
    case 'set':
      for (const arg of args) {
        if (!/^[-+][a-z]+$/.test(arg)) continue;
        const on = arg.startsWith('-');
        if (arg.includes('e')) state.errexit = on;
        if (arg.includes('u')) state.nounset = on;
        if (arg.includes('x')) state.xtrace = on;
      }
      return 0;
    case 'echo': {
      const newline = args[0] !== '-n';
      io.out(`${(newline ? args : args.slice(1)).join(' ')}${newline ? '\n' : ''}`);
      return 0;
    }
    case 'printf':
      io.out(printf(args[0] ?? '', args.slice(1)));
      return 0;
    case 'export':
      for (const arg of args) {
        const eq = arg.indexOf('=');
        if (eq > 0) state.vars.set(arg.slice(0, eq), arg.slice(eq + 1));
      }
      return 0;
    case 'unset':
      for (const arg of args) state.vars.delete(arg);
      return 0;
    case 'true':
    case ':':
      return 0;
    case 'false':
      return 1;
    case 'exit':
      throw new ExitSignal(args[0] === undefined ? state.status : Number.parseInt(args[0], 10) || 0);
    case 'sleep':
      await io.clock.sleep(Number.parseFloat(args[0] ?? '0') * 1000);
      return 0;
    case 'cd':
      state.cwd = path.posix.resolve(state.cwd, args[0] ?? '/');
      return 0;
    case 'cat':
      for (const file of args) {
        try {
          io.out(await readFile(io.hostPath(file), 'utf8'));
        } catch {
          io.err(`cat: can't open '${file}': No such file or directory\n`);
          return 1;
        }
      }
      return 0;
    case 'mkdir':
      for (const dir of args.filter((a) => !a.startsWith('-')))
        await mkdir(io.hostPath(dir), { recursive: true });
      return 0;
    default:
      throw new Error(`not a builtin: ${name}`);
  }
}

/** printf with %s, %d, %% and the \n, \t escapes, reusing the format while arguments remain. */
function printf(format: string, args: string[]): string {
  let i = 0;
  const unescaped = format.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  let out = '';
  do {
    out += unescaped.replace(/%([sd%])/g, (_m, spec: string) => (spec === '%' ? '%' : (args[i++] ?? '')));
  } while (i > 0 && i < args.length);
  return out;
}
