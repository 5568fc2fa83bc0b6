/** One connection's abort signal, aborted with the stream or when the connection is judged dead. */
export interface Watchdog {
  signal: AbortSignal;
  /** Bytes arrived: the connection is alive (rearms the idle timer). */
  alive(): void;
  /** Stops watching. */
  release(): void;
  /** Whether it gave up because not a single byte came within `firstByteMs`. */
  readonly silentFromStart: boolean;
}

/**
 * Watches one connection: aborts it when nothing arrived for `idleMs` (0: never), and, with
 * `firstByteMs`, when not one byte arrived that soon after it was opened — what a gateway that
 * holds a streamed response until it ends looks like from here.
 */
export function watchdog(stream: AbortSignal, idleMs: number, firstByteMs?: number): Watchdog {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  stream.addEventListener('abort', abort, { once: true });
  let idle: ReturnType<typeof setTimeout> | undefined;
  let silentFromStart = false;
  let first: ReturnType<typeof setTimeout> | undefined =
    firstByteMs === undefined
      ? undefined
      : setTimeout(() => {
          silentFromStart = true;
          abort();
        }, firstByteMs);
  const alive = (): void => {
    clearTimeout(first);
    first = undefined;
    clearTimeout(idle);
    if (idleMs > 0) idle = setTimeout(abort, idleMs);
  };
  clearTimeout(idle);
  if (idleMs > 0) idle = setTimeout(abort, idleMs);
  return {
    signal: controller.signal,
    alive,
    release: () => {
      clearTimeout(idle);
      clearTimeout(first);
      stream.removeEventListener('abort', abort);
    },
    get silentFromStart() {
      return silentFromStart;
    },
  };
}
