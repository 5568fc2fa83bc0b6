import { stat } from 'node:fs/promises';
import path from 'node:path';
import { permits } from '../controller/pods/file-access';
import type { StepIdentity } from '../controller/pods/step-identity';

/** The container path of the program to run, or Go's error for it. */
export type LookPathResult = { found: string } | { error: string };

/**
 * Go's exec.LookPath (os/exec/lp_unix.go), which Argo's emissary calls in the main container
 * before it starts the command: a name with a slash is checked as it is (against the working
 * directory when relative), any other name is searched in PATH; the file must be a regular file
 * the container's user may execute. Errors read as Go prints them:
 * `exec: "jq": executable file not found in $PATH`.
 */
export async function lookPath(
  name: string,
  pathEnv: string,
  cwd: string,
  hostOf: (containerPath: string) => string,
  user: StepIdentity,
): Promise<LookPathResult> {
  const quoted = JSON.stringify(name);
  if (name.includes('/')) {
    const file = name.startsWith('/') ? name : path.posix.join(cwd, name);
    const problem = await notExecutable(hostOf(file), name, user);
    return problem === undefined ? { found: file } : { error: `exec: ${quoted}: ${problem}` };
  }
  for (const entry of pathEnv.split(':')) {
    const dir = entry === '' ? '.' : entry;
    const candidate = dir.startsWith('/') ? path.posix.join(dir, name) : path.posix.join(cwd, dir, name);
    if ((await notExecutable(hostOf(candidate), candidate, user)) === undefined) return { found: candidate };
  }
  return { error: `exec: ${quoted}: executable file not found in $PATH` };
}

/** Why the file cannot be executed (Go's findExecutable), or undefined when it can. */
async function notExecutable(host: string, shown: string, user: StepIdentity): Promise<string | undefined> {
  let info;
  try {
    info = await stat(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `stat ${shown}: ${code === 'ENOTDIR' ? 'not a directory' : 'no such file or directory'}`;
  }
  if (info.isDirectory()) return 'is a directory';
  const allowed = permits(info, user, 'execute');
  return allowed ? undefined : 'permission denied';
}
