import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The preload that ends a forked child when its runner goes (see exit-with-parent.ts). */
export const EXIT_WITH_PARENT = path.join(__dirname, 'exit-with-parent.js');

const owned = new Set<ChildProcess>();

/**
 * Counts `child` as this runner's until it exits: whatever a benchmark forgot (or could not) stop
 * is killed when the runner exits, `process.exit` included, since 'exit' listeners still run then.
 */
export function own(child: ChildProcess): ChildProcess {
  owned.add(child);
  child.once('exit', () => owned.delete(child));
  if (owned.size === 1) process.once('exit', killOwned);
  return child;
}

function killOwned(): void {
  for (const child of owned) child.kill('SIGKILL');
  owned.clear();
}

/**
 * Ends `child`: SIGTERM first, so a service drains (and a profiler writes its output), SIGKILL if
 * it is still there after `graceMs`. The fallback timer is not unref'd: it must fire even when
 * nothing else keeps the runner's event loop alive, or a child that ignores TERM outlives it.
 */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
