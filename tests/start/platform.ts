import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../deploy/rendered';
import { ChildOutput } from './output';
import { descendantsOf, freePortBlock, portAnswers, stillRunning, type ProcessInfo } from './processes';

/** gateway, task, monitoring, summary, then the sandbox's kube, argo, argocd, git, admin, registry. */
export const PORTS = 10;
export const STARTUP_MS = 120_000;

/** A running `npm start` on its own port block and run directory. */
export interface Platform {
  base: number;
  gateway: string;
  /** The sandbox's admin API (its development sign-in among others). */
  admin: string;
  token: string;
  env: NodeJS.ProcessEnv;
  runDir: string;
  npm: ChildOutput;
  /** Everything npm started, directly or not, once the platform was up. */
  processes: ProcessInfo[];
}

/**
 * Runs `npm start` as a newcomer does and waits until it has printed everything. It gets its own
 * process group, as a terminal runs a foreground job, so a test can send Ctrl-C's SIGINT to the
 * whole group.
 */
export async function startPlatform(extraEnv: NodeJS.ProcessEnv = {}): Promise<Platform> {
  const base = await freePortBlock(PORTS);
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'platform-npm-start-'));
  const env = {
    ...process.env,
    PLATFORM_PORT_BASE: String(base),
    PLATFORM_RUN_DIR: runDir,
    // Simulated step durations 20x shorter: the same flow, a shorter test.
    PLATFORM_SANDBOX_SPEED: '20',
    TOKEN: '',
    ...extraEnv,
  };
  const npm = new ChildOutput(
    spawn('npm', ['start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
  );
  const [, gateway = ''] = await npm.waitFor(/Platform API is running at (http:\/\/\S+)/, STARTUP_MS);
  const [, admin = ''] = await npm.waitFor(/^ {2}admin +(http:\/\/\S+)$/m, 10_000);
  const [, token = ''] = await npm.waitFor(/export TOKEN=(\S+)/, 10_000);
  await npm.waitFor(/Stop: Ctrl-C/, 10_000);
  const processes = npm.child.pid === undefined ? [] : descendantsOf(npm.child.pid);
  return { base, gateway, admin, token, env, runDir, npm, processes };
}

/** Whether each port of the platform's block answers. */
export function answeringPorts(platform: Platform): Promise<boolean[]> {
  return Promise.all(Array.from({ length: PORTS }, (_, i) => portAnswers(platform.base + i)));
}

/** The platform's processes still running, after waiting up to `ms` for them to go. */
export async function leftRunning(platform: Platform, ms: number): Promise<ProcessInfo[]> {
  const pids = platform.processes.map((p) => p.pid);
  let left = stillRunning(pids);
  for (
    const deadline = Date.now() + ms;
    left.length > 0 && Date.now() < deadline;
    left = stillRunning(pids)
  ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return left;
}

/** Whatever a test left behind: kill it all and remove the run directory. */
export function destroyPlatform(platform: Platform | undefined): void {
  if (platform === undefined) return;
  const { child } = platform.npm;
  try {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
      process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
  for (const p of stillRunning(platform.processes.map((p) => p.pid))) process.kill(p.pid, 'SIGKILL');
  rmSync(platform.runDir, { recursive: true, force: true });
}

/** Runs a command in the repository to its end. */
export async function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: ChildOutput }> {
  const out = new ChildOutput(
    spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const { code } = await out.exited();
  return { code, out };
}
