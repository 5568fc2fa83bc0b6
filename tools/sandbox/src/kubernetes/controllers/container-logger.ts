import type { SandboxContext } from '../../core/sandbox-context';
import type { Container } from './workload-types';

/** Simulated ms between two request log lines of a running container. */
export const LOG_INTERVAL_MS = 5000;

const PATHS = ['/', '/healthz', '/api/items', '/api/items/42', '/metrics'];

/**
 * What a running container prints: a start banner, then a request log line every few simulated
 * seconds naming the image (so a deploy is visible in the logs), and its last words on a crash.
 */
export class ContainerLogger {
  private cancel: (() => void) | undefined;
  private requests = 0;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly namespace: string,
    private readonly pod: string,
    private readonly container: Container,
  ) {}

  start(): void {
    const port = containerPort(this.container);
    this.print(`starting ${this.container.name} image=${this.container.image}`);
    this.print(`listening on :${port}`);
    this.schedule();
  }

  crash(): void {
    this.stop();
    this.print(`fatal: crash requested (${this.container.image}), exiting with status 1`);
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private schedule(): void {
    this.cancel = this.ctx.clock.after(LOG_INTERVAL_MS, () => {
      this.requests += 1;
      const path = PATHS[this.requests % PATHS.length] ?? '/';
      const ms = 1 + (this.requests % 17);
      this.print(
        `GET ${path} 200 ${ms}ms request_id=${this.pod}-${this.requests} image=${this.container.image}`,
      );
      this.schedule();
    });
  }

  private print(text: string): void {
    this.ctx.logs.append(this.namespace, this.pod, this.container.name, text);
  }
}

function containerPort(container: Container): number {
  const ports = container.ports as Array<{ containerPort?: number }> | undefined;
  return ports?.[0]?.containerPort ?? 8080;
}
