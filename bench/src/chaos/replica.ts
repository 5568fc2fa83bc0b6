import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { waitForStatus } from '@platform/service-runtime/testing/process';
import { processMemory } from '../lib/pod-memory';

/**
 * One replica of a service as a real process, supervised as a kubelet would: an exit nobody asked
 * for counts as a restart and the process is started again; `kill` is a fault the soak injects
 * (its replacement, a new pod, comes up after `replaceAfterMs`).
 */
export class Replica {
  restarts = 0;
  kills = 0;
  /** The last unexpected exits: code or signal. */
  readonly crashes: string[] = [];
  private child: ChildProcess | undefined;
  private isReady = false;
  private expectingExit = false;
  private stopped = false;
  private generation = 0;
  private peakBytes = 0;
  private readonly log: WriteStream;

  constructor(
    readonly name: string,
    private readonly mainJs: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    logDir: string,
  ) {
    this.log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The pod name of the current process (a replacement gets a new one, as a new pod does). */
  get podName(): string {
    return `${this.name}-${this.generation}`;
  }

  get up(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Running and answered its readiness probe once: what a Service routes to. */
  get ready(): boolean {
    return this.isReady && this.up;
  }

  async start(): Promise<void> {
    this.generation += 1;
    this.expectingExit = false;
    const child = spawn(process.execPath, [this.mainJs], {
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port), POD_NAME: this.podName },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      this.isReady = false;
      if (this.expectingExit || this.stopped) return;
      this.restarts += 1;
      this.crashes.push(`${this.podName}: ${signal ?? `exit ${code ?? '?'}`}`);
      setTimeout(() => void this.start().catch(() => undefined), 1000);
    });
    await waitForStatus(`${this.url}/healthz/ready`, 200, 60_000);
    this.isReady = true;
  }

  /** A fault: the process dies with `signal`; its replacement starts `replaceAfterMs` later. */
  async kill(signal: NodeJS.Signals, replaceAfterMs: number): Promise<void> {
    this.kills += 1;
    await this.exit(signal);
    await new Promise((resolve) => setTimeout(resolve, replaceAfterMs));
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.exit('SIGTERM', 10_000);
    this.log.end();
  }

  /** Resident memory in bytes (Linux /proc), or undefined when the process is not running. */
  rssBytes(): number | undefined {
    return this.sampleMemory()?.rssBytes;
  }

  /** The highest resident memory of any of this replica's processes so far (the kernel's VmHWM). */
  peakRssBytes(): number {
    this.sampleMemory();
    return this.peakBytes;
  }

  private sampleMemory(): { rssBytes: number; peakRssBytes: number } | undefined {
    const pid = this.child?.pid;
    if (pid === undefined || !this.up) return undefined;
    try {
      const memory = processMemory(pid);
      this.peakBytes = Math.max(this.peakBytes, memory.peakRssBytes);
      return memory;
    } catch {
      return undefined;
    }
  }

  private async exit(signal: NodeJS.Signals, killAfterMs?: number): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.up) return;
    // The process's peak goes with it: read it first.
    this.sampleMemory();
    this.expectingExit = true;
    this.isReady = false;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
      if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs).unref();
    });
  }
}
