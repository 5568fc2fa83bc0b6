import type { ChildProcess } from 'node:child_process';

/** Collects a child's stdout and stderr and lets a test wait for text to appear in them. */
export class ChildOutput {
  stdout = '';
  stderr = '';
  private readonly waiters: Array<() => void> = [];

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => this.add('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.add('stderr', chunk));
  }

  /** Resolves with the first match of `pattern` in stdout; rejects if the child exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`not printed within ${timeoutMs} ms`), timeoutMs);
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new Error(`${pattern} ${why}\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`));
      };
      const check = (): boolean => {
        const match = pattern.exec(this.stdout);
        if (match !== null) {
          clearTimeout(timer);
          resolve(match);
        }
        return match !== null;
      };
      if (check()) return;
      this.waiters.push(() => void check());
      this.child.once('exit', (code) => check() || fail(`not printed; the process exited with ${code}`));
    });
  }

  /** The exit code, or the signal that ended it, once the child has exited. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null) {
      return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
    }
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  private add(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this[stream] += chunk.toString();
    for (const waiter of this.waiters) waiter();
  }
}
