/**
 * Simulated time: durations of simulated work (pods starting, steps running) are divided by the
 * speed factor, while timestamps stay wall-clock so every API agrees with the machine's clock.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class SimClock {
  private timers = new Set<NodeJS.Timeout>();
  /** Simulated milliseconds up to `realBase`, the last speed change. */
  private simulatedBase = 0;
  private realBase = Date.now();

  constructor(private factor = 1) {}

  get speed(): number {
    return this.factor;
  }

  set speed(value: number) {
    if (!(value > 0)) throw new RangeError('speed must be > 0');
    this.simulatedBase = this.elapsedMs();
    this.realBase = Date.now();
    this.factor = value;
  }

  /** Simulated milliseconds since the clock was made, each stretch at the speed it ran at. */
  elapsedMs(): number {
    return this.simulatedBase + (Date.now() - this.realBase) * this.factor;
  }

  now(): Date {
    return new Date();
  }

  /** Waits `simulatedMs` of simulated time. */
  sleep(simulatedMs: number): Promise<void> {
    return new Promise((resolve) => this.after(simulatedMs, resolve));
  }

  /** Runs `fn` after `simulatedMs`; returns a cancel function. Timers do not keep the process alive. */
  after(simulatedMs: number, fn: () => void): () => void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fn();
      },
      // Node sets a delay above 2^31-1 ms to 1 ms (its timers docs, TimeoutOverflowWarning); a
      // delay that long (24 days) is as good as never.
      Math.min(MAX_TIMER_MS, Math.max(0, simulatedMs / this.factor)),
    );
    timer.unref();
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Cancels every pending timer (shutdown, reset). */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** RFC 3339 with microseconds, as Kubernetes MicroTime fields are written. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** RFC 3339 with second precision, as Kubernetes Time fields are written. */
export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
