import type { Stats } from 'node:fs';
import type { StepIdentity } from './step-identity';

/** A permission the kernel checks on a file or folder. */
export type Access = 'read' | 'write' | 'execute';

const BITS: Record<Access, number> = { read: 0o4, write: 0o2, execute: 0o1 };

/**
 * Whether `user` may read, write or execute (search, for a folder) a file with these stats, as the
 * kernel decides it (generic_permission): root may do anything, except execute a file no one may;
 * otherwise the owner's bits if the user owns it, else the group's if the file's group is among
 * the user's, else the others'.
 */
export function permits(
  info: Pick<Stats, 'mode' | 'uid' | 'gid' | 'isDirectory'>,
  user: StepIdentity,
  access: Access,
): boolean {
  const bit = BITS[access];
  if (user.uid === 0) return access !== 'execute' || info.isDirectory() || (info.mode & 0o111) !== 0;
  const shift = info.uid === user.uid ? 6 : info.gid === user.gid || user.groups.includes(info.gid) ? 3 : 0;
  return ((info.mode >> shift) & bit) !== 0;
}
