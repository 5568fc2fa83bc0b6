import type { SimClock } from '../../../core/sim-clock';

/** Sleeps `simulatedMs` of simulated time, or less when `signal` aborts first. */
export function abortableSleep(clock: SimClock, simulatedMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      cancel();
      resolve();
    };
    const cancel = clock.after(simulatedMs, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
