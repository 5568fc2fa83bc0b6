import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from '@platform/service-runtime/testing/process';

/**
 * The soak's own redis-server on a free port, nothing saved, so that restarting it loses
 * everything, as a Redis pod without persistence does when it is rescheduled.
 */
export class RestartableRedis {
  private child: ChildProcess | undefined;
  restarts = 0;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RestartableRedis> {
    const redis = new RestartableRedis(await freePort());
    await redis.spawn();
    return redis;
  }

  /** SIGKILL, then a fresh empty server on the same port after `downMs`. */
  async restart(downMs: number): Promise<void> {
    await this.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.spawn();
    this.restarts += 1;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  private async spawn(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i += 1) {
      if (await answers(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server did not listen on port ${this.port}`);
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
