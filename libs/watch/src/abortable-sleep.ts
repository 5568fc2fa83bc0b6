/**
 * Resolves after `ms`, or at once when `signal` aborts (never rejects: a stopped watch just
 * stops). Its abort listener goes when the timer fires: a watch sleeps between every failed
 * attempt on one long-lived signal, and a listener left behind each time would pile up on it
 * (Node warns past 10 with MaxListenersExceededWarning) for as long as the watch lives.
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
