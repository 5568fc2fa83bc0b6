import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { permits } from '../controller/pods/file-access';
import type { StepIdentity } from '../controller/pods/step-identity';

/** The files an interpreted program touches, seen from inside its container. */
export interface StepFiles {
  /** Host path of a container path. */
  hostPath: (containerPath: string) => string;
  /** Who the step runs as; undefined when uid emulation is off (the sandbox's own user acts then). */
  user: StepIdentity | undefined;
}

/** A file operation the step's user may not do, with Go's error text (`mkdir /.config: permission denied`). */
export class StepFileError extends Error {
  constructor(op: string, containerPath: string) {
    super(`${op} ${containerPath}: permission denied`);
    this.name = 'StepFileError';
  }
}

/** A container's umask (runc's default 0022). */
const UMASK = 0o022;
const SETGID = 0o2000;

/**
 * What an interpreted program (running as the sandbox's user) writes, it writes as the step's
 * user would: Go's `os.MkdirAll(dir, 0777)` then `os.WriteFile(file, data, mode)`. A folder or
 * file the user may not write fails with Go's error; what it creates is the user's (the group of
 * a setgid parent, as the kernel gives it), with the mode past the umask; an existing file keeps
 * its owner and mode, as os.WriteFile leaves them.
 */
export async function writeFileAsStepUser(
  files: StepFiles,
  containerFile: string,
  data: string,
  mode: number,
): Promise<void> {
  await mkdirAll(files, path.posix.dirname(containerFile));
  const host = files.hostPath(containerFile);
  const existing = await statOrUndefined(host);
  const { user } = files;
  if (existing !== undefined) {
    if (user !== undefined && !permits(existing, user, 'write'))
      throw new StepFileError('open', containerFile);
    await writeFile(host, data);
    return;
  }
  const parent = await stat(path.dirname(host));
  if (user !== undefined && !mayCreateIn(parent, user)) throw new StepFileError('open', containerFile);
  await writeFile(host, data, { mode: mode & ~UMASK });
  if (user !== undefined) await chown(host, user.uid, groupIn(parent, user));
}

/** `os.ReadFile` as the step's user: undefined when the file does not exist. */
export async function readFileAsStepUser(
  files: StepFiles,
  containerFile: string,
): Promise<string | undefined> {
  const host = files.hostPath(containerFile);
  const info = await statOrUndefined(host);
  if (info === undefined) return undefined;
  if (files.user !== undefined && !permits(info, files.user, 'read'))
    throw new StepFileError('open', containerFile);
  return readFile(host, 'utf8');
}

async function mkdirAll(files: StepFiles, containerDir: string): Promise<void> {
  const host = files.hostPath(containerDir);
  if ((await statOrUndefined(host))?.isDirectory() === true) return;
  const parentDir = path.posix.dirname(containerDir);
  if (parentDir !== containerDir) await mkdirAll(files, parentDir);
  const { user } = files;
  const parent = await stat(path.dirname(host));
  if (user !== undefined && !mayCreateIn(parent, user)) throw new StepFileError('mkdir', containerDir);
  await mkdir(host);
  if (user === undefined) return;
  await chown(host, user.uid, groupIn(parent, user));
  // A chown may drop the setgid bit the kernel copied from the parent: set the mode it had.
  await chmod(host, (0o777 & ~UMASK) | (parent.mode & SETGID));
}

/** Creating an entry needs write and search permission on the folder. */
function mayCreateIn(dir: Stats, user: StepIdentity): boolean {
  return permits(dir, user, 'write') && permits(dir, user, 'execute');
}

/** The group of a new entry: a setgid folder's own, else the user's. */
function groupIn(dir: Stats, user: StepIdentity): number {
  return (dir.mode & SETGID) !== 0 ? dir.gid : user.gid;
}

async function statOrUndefined(host: string): Promise<Stats | undefined> {
  try {
    return await stat(host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
