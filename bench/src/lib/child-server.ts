import { fork, type ChildProcess } from 'node:child_process';
import { EXIT_WITH_PARENT, own } from './owned-children';

export interface ChildServer {
  port: number;
  /** The whole first message, which announced the port (servers may say more there). */
  hello: Record<string, unknown>;
  child: ChildProcess;
  /** Resolves with the first message matching `predicate`. */
  next<T extends object>(predicate: (message: T) => boolean, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Runs a server script in its own process (so load and server do not share a core) and waits for
 * its port. The child ends with the runner, however the runner ends (see owned-children).
 */
export async function startChildServer(script: string, args: string[]): Promise<ChildServer> {
  const child = own(
    fork(script, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['-r', EXIT_WITH_PARENT],
    }),
  );
  const next = <T extends object>(predicate: (message: T) => boolean, timeoutMs = 30_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', listener);
        reject(new Error(`${script}: no expected message within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (message: T): void => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
    });
  const hello = await next<{ port?: number }>((m) => m.port !== undefined);
  return {
    port: hello.port ?? 0,
    hello,
    child,
    next,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
