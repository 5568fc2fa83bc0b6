import { chmod, chown, lchown, lstat, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { emulatesUsers } from './user-emulation';

/** Modes kubelet and the filesystem give a volume's root when it is new. */
export const FRESH_VOLUME_MODE = {
  /** kubelet pkg/volume/emptydir/empty_dir.go: `const perm os.FileMode = 0777`, chmod-ed past the umask. */
  emptyDir: 0o777,
  /** mke2fs: the root of a new ext4 filesystem (what a fresh block PVC mounts) is root:root 0755. */
  persistentVolume: 0o755,
} as const;

/**
 * Creates a volume's folder as a new volume of its kind is: owned by root with the mode above;
 * a new ext4 filesystem also has `lost+found` (root, 0700). Does nothing when it already exists
 * (a workflow's PVC is shared by its pods and keeps what earlier steps wrote).
 */
export async function createFreshVolume(dir: string, kind: keyof typeof FRESH_VOLUME_MODE): Promise<void> {
  if (await exists(dir)) return;
  await mkdir(dir, { recursive: true });
  await chmod(dir, FRESH_VOLUME_MODE[kind]);
  if (kind === 'persistentVolume') {
    const lostFound = path.join(dir, 'lost+found');
    await mkdir(lostFound);
    await chmod(lostFound, 0o700);
  }
  await ownByRoot(dir);
}

const RW = 0o660;
const RO = 0o440;
const EXEC = 0o110;
const SETGID = 0o2000;

/**
 * kubelet's SetVolumeOwnership (pkg/volume/volume_linux.go) for a pod with `fsGroup`: every file
 * and folder of the volume gets the group (lchown), read-write for it (read-only for Secret and
 * ConfigMap volumes), folders also the group's execute bit and setgid, so files created later
 * belong to the group too. Symlinks keep their mode. With `fsGroupChangePolicy: OnRootMismatch`
 * nothing changes when the root already has the group and the bits.
 */
export async function setVolumeOwnership(
  dir: string,
  fsGroup: number,
  readOnly: boolean,
  policy: 'Always' | 'OnRootMismatch' = 'Always',
): Promise<void> {
  if (policy === 'OnRootMismatch' && !(await rootNeedsChange(dir, fsGroup, readOnly))) return;
  const mask = readOnly ? RO : RW;
  const walk = async (file: string): Promise<void> => {
    const info = await lstat(file);
    if (emulatesUsers()) await lchown(file, -1, fsGroup);
    if (info.isSymbolicLink()) return;
    const bits = info.isDirectory() ? mask | EXEC | SETGID : mask;
    await chmod(file, (info.mode & 0o7777) | bits);
    if (info.isDirectory()) {
      for (const entry of await readdir(file)) await walk(path.join(file, entry));
    }
  };
  await walk(dir);
}

async function rootNeedsChange(dir: string, fsGroup: number, readOnly: boolean): Promise<boolean> {
  const info = await stat(dir);
  const wanted = (readOnly ? RO : RW) | EXEC | SETGID;
  return info.gid !== fsGroup || (info.mode & wanted) !== wanted;
}

/** Gives a file or folder to root (when the sandbox can), as kubelet and mkfs create them. */
export async function ownByRoot(file: string): Promise<void> {
  if (emulatesUsers()) await chown(file, 0, 0);
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
