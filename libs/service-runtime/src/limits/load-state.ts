import { Injectable } from '@nestjs/common';
import { RuntimeConfig } from '../config/service-env';

/** What @fastify/under-pressure measures, once it is registered. */
export interface PressureProbe {
  memoryUsage(): { heapUsed: number; eventLoopDelay: number };
}

const MIB = 1024 * 1024;

/**
 * Whether this replica is overloaded right now (its event loop lagging, its heap near full), and
 * why: the load shedding answers 503 OVERLOADED with it, and readiness turns false with it so the
 * load balancer sends the next requests to other replicas.
 */
@Injectable()
export class LoadState {
  private probe: PressureProbe | undefined;

  constructor(private readonly config: RuntimeConfig) {}

  attach(probe: PressureProbe): void {
    this.probe = probe;
  }

  /** Why this replica sheds load, or undefined while it does not. */
  overload(): string | undefined {
    if (this.probe === undefined) return undefined;
    const { maxEventLoopDelayMs, maxHeapUsedBytes } = this.config.limits.loadShedding;
    const { eventLoopDelay, heapUsed } = this.probe.memoryUsage();
    if (maxEventLoopDelayMs > 0 && eventLoopDelay > maxEventLoopDelayMs) {
      return `its event loop lags ${Math.round(eventLoopDelay)} ms, over ${maxEventLoopDelayMs} ms`;
    }
    if (maxHeapUsedBytes > 0 && heapUsed > maxHeapUsedBytes) {
      return `its heap holds ${Math.round(heapUsed / MIB)} MiB, over ${Math.round(maxHeapUsedBytes / MIB)} MiB`;
    }
    return undefined;
  }
}
