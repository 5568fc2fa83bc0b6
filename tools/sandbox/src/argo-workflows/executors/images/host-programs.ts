import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Folders searched for this machine's programs, before the sandbox process's own PATH. */
const SYSTEM_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];

const found = new Map<string, string | undefined>();

/** The absolute path of one of this machine's programs, or undefined when it has none. */
export function hostProgram(name: string): string | undefined {
  if (found.has(name)) return found.get(name);
  const dirs = [...SYSTEM_DIRS, ...(process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '')];
  let result: string | undefined;
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      result = candidate;
      break;
    } catch {
      // not in this folder
    }
  }
  found.set(name, result);
  return result;
}

let busyboxApplets: ReadonlyMap<string, string> | undefined;

/**
 * The applets of this machine's busybox and the container path each installs at (`sh` →
 * `/bin/sh`, `awk` → `/usr/bin/awk`), from `busybox --list-full`. Empty when busybox is missing.
 */
export function hostBusyboxApplets(): ReadonlyMap<string, string> {
  if (busyboxApplets !== undefined) return busyboxApplets;
  const applets = new Map<string, string>();
  const busybox = hostProgram('busybox');
  if (busybox !== undefined) {
    const listing = execFileSync(busybox, ['--list-full'], { encoding: 'utf8' });
    for (const line of listing.split('\n')) {
      const location = line.trim();
      if (location === '' || location.endsWith('/')) continue;
      applets.set(path.posix.basename(location), `/${location}`);
    }
  }
  busyboxApplets = applets;
  return applets;
}
