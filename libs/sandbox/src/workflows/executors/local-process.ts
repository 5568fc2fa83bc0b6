import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultEntrypoint } from './image-kind';
import { LineSplitter } from './line-splitter';
import type { StepResult, StepRuntime } from './step-runtime';

/**
 * Runs a shell-image step as a real process on this machine: a script template's source is
 * written to a file and run with its `command` (default `sh`); a container template runs
 * `command` + `args` (an image's own entrypoint when `command` is empty). Paths are remapped
 * once, here. HOME is the workflow's home folder and git reads its identity from there, so
 * clone/commit/push against the sandbox git server work as in the image.
 */
export async function runLocalProcess(rt: StepRuntime): Promise<StepResult> {
  const { mapper } = rt.layout;
  let argv: string[];
  if (rt.script !== undefined) {
    const file = path.join(rt.layout.podDir, 'script');
    await writeFile(file, mapper.rewrite(rt.script), { mode: 0o755 });
    argv = [
      ...(rt.command ?? ['sh']).map((c) => mapper.rewrite(c)),
      file,
      ...(rt.args ?? []).map((a) => mapper.rewrite(a)),
    ];
  } else {
    const command =
      rt.command !== undefined && rt.command.length > 0 ? rt.command : defaultEntrypoint(rt.image);
    const args = rt.args ?? (command.length === 0 ? ['sh'] : []);
    argv = [...command, ...args].map((a) => mapper.rewrite(a));
  }
  const [program, ...rest] = argv;
  if (program === undefined) return { exitCode: 128, reason: 'StartError', message: 'no command specified' };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOSTNAME: rt.podName,
    HOME: rt.layout.homeDir,
    TMPDIR: mapper.toHost('/tmp'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: rt.layout.gitConfig,
    GIT_TERMINAL_PROMPT: '0',
    ARGO_POD_NAME: rt.podName,
    ARGO_CONTAINER_NAME: 'main',
    ...Object.fromEntries(Object.entries(rt.env).map(([k, v]) => [k, mapper.rewrite(v)])),
  };
  return new Promise<StepResult>((resolve) => {
    const child = spawn(program, rest, {
      cwd: rt.layout.workingDir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastLine = '';
    const remember = (line: string): void => {
      if (line.trim() !== '') lastLine = line;
    };
    const out = new LineSplitter((raw) => {
      const line = mapper.toContainerText(raw);
      remember(line);
      rt.stdout(line);
    });
    const err = new LineSplitter((raw) => {
      const line = mapper.toContainerText(raw);
      remember(line);
      rt.stderr(line);
    });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const kill = (): void => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    // The step may have been killed while its script file was being written.
    if (rt.signal.aborted) kill();
    else rt.signal.addEventListener('abort', kill, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      rt.signal.removeEventListener('abort', kill);
      const message =
        error.code === 'ENOENT'
          ? `failed to create containerd task: exec: "${program}": executable file not found in $PATH: unknown`
          : `failed to start container: ${error.message}`;
      resolve({ exitCode: 128, reason: 'StartError', message });
    });
    child.on('close', (code, signal) => {
      rt.signal.removeEventListener('abort', kill);
      out.end();
      err.end();
      const exitCode = code ?? (signal === 'SIGKILL' ? 137 : 143);
      resolve(
        exitCode === 0
          ? { exitCode, reason: 'Completed' }
          : { exitCode, reason: 'Error', message: lastLine || undefined },
      );
    });
  });
}
