import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import path from 'node:path';
import { EXIT_WITH_PARENT, own, stopChild } from '../lib/owned-children';

export interface ForkedServer<Hello> {
  child: ChildProcess;
  hello: Hello;
  next<T extends object>(predicate: (message: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Live memory of the child after a full GC (needs the memory probe preloaded). */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

const PROBE = path.join(__dirname, 'memory-probe.js');

/**
 * Forks `script` with the memory probe preloaded; resolves on its first IPC message matching
 * `isHello`. The child ends with the runner, however the runner ends (see owned-children).
 */
export async function forkServer<Hello extends object>(
  script: string,
  args: string[],
  isHello: (message: Hello) => boolean,
  options: ForkOptions = {},
): Promise<ForkedServer<Hello>> {
  const { execArgv = [], ...rest } = options;
  const child = own(
    fork(script, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [
        ...execArgv,
        '--expose-gc',
        ...(process.env.BENCH_CPU_PROF_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
          : []),
        '-r',
        EXIT_WITH_PARENT,
        '-r',
        PROBE,
      ],
      ...rest,
    }),
  );
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
    stop: () => stopChild(child, 10_000),
  };
}
