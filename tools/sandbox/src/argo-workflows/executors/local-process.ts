import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import type { StepIdentity } from '../controller/pods/step-identity';
import { hostProgram } from './images/host-programs';
import { emulatesUsers } from '../controller/pods/user-emulation';
import { CommandBridge } from './command-bridge';
import type { CommandHandler } from './command-io';
import { LineSplitter } from './line-splitter';
import { lookPath } from './look-path';
import { stepEnvironment } from './step-environment';
import type { StepResult, StepRuntime } from './step-runtime';

const SCRIPT_PATH = '/argo/staging/script';

/** Argo's emissary exits 64 when it cannot start the command (cmd/argoexec/main.go). */
const EMISSARY_FAILURE = 64;

/**
 * Runs a step's main container as a real process, the way the image would run it: the command
 * is found as Argo's emissary finds it (Go's LookPath over the image's PATH, in the image's
 * folders: see pods/container-root.ts), runs as the container's user and groups (setpriv) in its
 * working directory, with the image's environment under the pod's, and no terminal. A script
 * template's source is the file `/argo/staging/script` appended to the command. Programs the
 * sandbox interprets (`interpreted`: argocd, kaniko's executor...) are reached through the
 * command bridge, so the image's own shell still runs, redirects and fails around them.
 * Container paths are mapped to host folders once, here (see PathMapper).
 */
export async function runLocalProcess(
  rt: StepRuntime,
  interpreted: Record<string, CommandHandler> = {},
): Promise<StepResult> {
  const { mapper } = rt.layout;
  const argv = [...(rt.command ?? []), ...(rt.script !== undefined ? [SCRIPT_PATH] : []), ...(rt.args ?? [])];
  const [name, ...args] = argv;
  if (name === undefined) return emissaryFailure(rt, 'no command: the container has no command and no args');
  if (rt.script !== undefined)
    await writeFile(rt.layout.scriptFile, mapper.rewrite(rt.script), { mode: 0o644 });
  const env = stepEnvironment(rt);
  const hostOf = (containerPath: string): string => rt.layout.hostPath(containerPath);
  const user = emulatesUsers() ? rt.identity : ownIdentity();
  const found = await lookPath(name, env.container.PATH ?? '', rt.layout.containerWorkingDir, hostOf, user);
  if ('error' in found) return emissaryFailure(rt, `failed to find name in PATH: ${found.error}`);
  const hostArgs = args.map((a) => (a === SCRIPT_PATH ? rt.layout.scriptFile : mapper.rewrite(a)));
  const bridge =
    Object.keys(interpreted).length === 0
      ? undefined
      : await CommandBridge.listen(rt.bridgeAddress, {
          handlers: interpreted,
          toContainerText: (text) => mapper.toContainerText(text),
          toHost: hostOf,
          signal: rt.signal,
        });
  let result: StepResult;
  try {
    result = await spawnStep(rt, hostOf(found.found), hostArgs, env.host);
  } finally {
    await bridge?.close();
  }
  const failure: unknown = bridge?.failure;
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
  return result;
}

/** What the emissary prints and leaves as the termination message when it cannot start the command. */
function emissaryFailure(rt: StepRuntime, message: string): StepResult {
  rt.stderr(message);
  return { exitCode: EMISSARY_FAILURE, reason: 'Error', message };
}

function ownIdentity(): StepIdentity {
  return {
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    groups: process.getgroups?.() ?? [],
    home: '/',
  };
}

/** setpriv (util-linux) switches user, group and groups, which node's spawn cannot (it drops groups). */
function asUser(identity: StepIdentity, program: string, args: string[]): [string, string[]] {
  if (!emulatesUsers() || (identity.uid === 0 && identity.gid === 0 && identity.groups.length === 0))
    return [program, args];
  const groups = identity.groups.length > 0 ? [`--groups=${identity.groups.join(',')}`] : ['--clear-groups'];
  // This machine's setpriv, by path: the step's PATH is the image's (busybox has a smaller setpriv).
  const setpriv = hostProgram('setpriv');
  if (setpriv === undefined) throw new Error('running steps as their image user needs setpriv (util-linux)');
  return [setpriv, [`--reuid=${identity.uid}`, `--regid=${identity.gid}`, ...groups, '--', program, ...args]];
}

function spawnStep(
  rt: StepRuntime,
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<StepResult> {
  const { mapper } = rt.layout;
  const [command, commandArgs] = asUser(rt.identity, program, args);
  return new Promise<StepResult>((resolve) => {
    // A new session: no controlling terminal, as in a pod (git cannot prompt for a password).
    const child = spawn(command, commandArgs, {
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
      resolve({
        exitCode: 128,
        reason: 'StartError',
        message: `sandbox could not start the step: ${error.message}`,
      });
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
