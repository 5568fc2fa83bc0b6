import { chmod, chown, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageFacts, ProgramSource } from '../../executors/images/image-facts';
import { UnsupportedStepError } from '../../executors/step-runtime';
import { hostProgram } from '../../executors/images/host-programs';
import { emulatesUsers } from './user-emulation';
import { ownByRoot } from './volume-ownership';

/** The host folder standing for a container's own filesystem (its `/`, without volumes). */
export interface ContainerRoot {
  dir: string;
  /** The host path of a container path of that filesystem. */
  hostPath: (containerPath: string) => string;
}

/** Writes the file an emulated program's name runs (the sandbox's command bridge). */
export type EmulatedProgramWriter = (name: string) => string;

/**
 * Lays out the parts of an image's filesystem a step can see: the folders it ships with their
 * owner and mode (/tmp 1777, the user's home, the WORKDIR), and every program of its PATH at its
 * path, as a link to this machine's program (busybox applets to busybox, `sh` to dash on
 * Debian-based images, git, curl, node...) and nothing else, so a command the image lacks is not
 * found, as in the image. A program the image has and this machine lacks prints why it cannot run.
 */
export async function buildContainerRoot(
  podDir: string,
  image: ImageFacts,
  emulated: EmulatedProgramWriter,
): Promise<ContainerRoot> {
  const shell = image.shell === 'busybox' ? 'busybox' : image.shell === 'dash' ? 'dash' : undefined;
  if (shell !== undefined && hostProgram(shell) === undefined)
    throw new UnsupportedStepError(
      image.repository,
      `its shell is ${shell}, which this machine lacks (Debian: apt-get install -y ${shell})`,
    );
  const dir = path.join(podDir, 'root');
  const hostPath = (containerPath: string): string => path.join(dir, path.posix.normalize(containerPath));
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  if (image.mergedUsr) {
    for (const sub of ['bin', 'sbin', 'lib']) {
      await mkdir(path.join(dir, 'usr', sub), { recursive: true });
      await symlink(path.join('usr', sub), path.join(dir, sub));
    }
  }
  for (const folder of image.directories) {
    const host = hostPath(folder.path);
    await mkdir(host, { recursive: true });
    await chmod(host, folder.mode);
    if (emulatesUsers()) await chown(host, folder.uid, folder.gid);
  }
  for (const [containerPath, source] of image.programs()) {
    const host = hostPath(containerPath);
    await mkdir(path.dirname(host), { recursive: true });
    await placeProgram(host, source, image, containerPath, emulated);
  }
  await ownByRoot(dir);
  return { dir, hostPath };
}

async function placeProgram(
  host: string,
  source: ProgramSource,
  image: ImageFacts,
  containerPath: string,
  emulated: EmulatedProgramWriter,
): Promise<void> {
  if (source.kind === 'emulated') {
    await writeFile(host, emulated(source.name), { mode: 0o755 });
    return;
  }
  const name = source.kind === 'host' ? source.name : 'busybox';
  const target = hostProgram(name);
  if (target !== undefined) {
    await symlink(target, host);
    return;
  }
  const install = name === 'busybox' ? " (Debian's busybox package)" : '';
  await writeFile(
    host,
    `#!/bin/sh\necho "sandbox: ${containerPath} of ${image.repository} needs ${name}${install}, which this machine lacks" >&2\nexit 127\n`,
    { mode: 0o755 },
  );
}
