import path from 'node:path';
import { LineSplitter } from './line-splitter';
import { MiniShell, UnknownCommandError, type CommandHandler } from './mini-shell';
import { ShellSyntaxError } from './shell-syntax';
import { UnsupportedStepError, type StepResult, type StepRuntime } from './step-runtime';

const SHELLS = ['sh', 'bash', 'ash', 'dash'];

/**
 * Runs a step of an emulated image (kaniko, buildkit, argocd): a script, `sh -c '<script>'`, or
 * the image's program given as command + args, through {@link MiniShell} with the image's
 * commands interpreted in-process. A script the sandbox cannot interpret fails the step as
 * `sandbox cannot run image "X": ...`.
 */
export async function runInterpreted(
  rt: StepRuntime,
  entrypoint: string[],
  commands: Record<string, CommandHandler>,
): Promise<StepResult> {
  let last = '';
  const remember = (line: string): void => {
    if (line.trim() !== '') last = line;
  };
  const out = new LineSplitter((line) => {
    remember(line);
    rt.stdout(line);
  });
  const err = new LineSplitter((line) => {
    remember(line);
    rt.stderr(line);
  });
  const command = rt.command ?? [];
  const args = rt.args ?? [];
  const shellName = command[0] === undefined ? '' : path.basename(command[0]);
  const flags = command
    .slice(1)
    .filter((c) => c.startsWith('-'))
    .join('');
  const shell = new MiniShell({
    env: rt.env,
    cwd: rt.layout.containerWorkingDir,
    // An interpreted image's files are its own: paths no volume covers live in the pod's root.
    toHost: (p) =>
      rt.layout.mapper.covers(p) ? rt.layout.mapper.toHost(p) : path.join(rt.layout.podDir, 'root', p),
    commands,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    signal: rt.signal,
    clock: rt.ctx.clock,
    errexit: SHELLS.includes(shellName) && /e/.test(flags),
  });
  let exitCode: number;
  try {
    if (rt.script !== undefined) {
      exitCode = await shell.run(rt.script);
    } else if (SHELLS.includes(shellName) && /c/.test(flags)) {
      const inline = command.slice(1).find((c) => !c.startsWith('-'));
      exitCode = await shell.run(inline ?? args[0] ?? '');
    } else {
      exitCode = await shell.runArgv(command.length > 0 ? [...command, ...args] : [...entrypoint, ...args]);
    }
  } catch (error) {
    if (error instanceof ShellSyntaxError || error instanceof UnknownCommandError) {
      throw new UnsupportedStepError(
        rt.image,
        `${error.message} (the sandbox interprets ${Object.keys(commands).join(', ')} and the shell builtins echo, printf, set, export, unset, true, false, exit, sleep, cd, cat, mkdir; pipes, $(...) and if/for are not supported)`,
      );
    }
    throw error;
  } finally {
    out.end();
    err.end();
  }
  return exitCode === 0
    ? { exitCode, reason: 'Completed' }
    : { exitCode, reason: 'Error', message: last || undefined };
}

/** `INFO[0003]`-style elapsed seconds of simulated time, as kaniko and the argocd CLI print them. */
export function elapsedStamp(startedMs: number, speed: number): string {
  const seconds = Math.floor(((Date.now() - startedMs) * speed) / 1000);
  return String(seconds).padStart(4, '0');
}
