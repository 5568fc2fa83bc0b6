import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import path from 'node:path';

export interface ForkedServer<Hello> {
  child: ChildProcess;
  hello: Hello;
  next<T extends object>(predicate: (message: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Live memory of the child after a full GC (needs the memory probe preloaded). */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

const PROBE = path.join(__dirname, 'memory-probe.js');

/** Forks `script` with the memory probe preloaded; resolves on its first IPC message matching `isHello`. */
export async function forkServer<Hello extends object>(
  script: string,
  args: string[],
  isHello: (message: Hello) => boolean,
  options: ForkOptions = {},
): Promise<ForkedServer<Hello>> {
  const child = fork(script, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
        : []),
      '-r',
      PROBE,
    ],
    ...options,
  });
  const next = <T extends object>(predicate: (message: T) => boolean, timeoutMs = 120_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', listener);
        reject(new Error(`${path.basename(script)}: no expected message within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (message: T): void => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
    });
  const hello = await next<Hello>(isHello);
  return {
    child,
    hello,
    next,
    memory: async () => {
      child.send({ memory: true });
      return (await next<{ memory?: NodeJS.MemoryUsage }>((m) => m.memory !== undefined))
        .memory as NodeJS.MemoryUsage;
    },
    stop: () =>
      new Promise((resolve) => {
        // A child ended by a signal (the raw broadcaster has no TERM handler) has no exit code.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        // TERM first, so a service drains (and a profiler can write its output); KILL if it hangs.
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
