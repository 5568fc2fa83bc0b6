import { withTimeout } from './check-timeout';

export interface CachedProbeOptions {
  /** How long an outcome (up or down) is reused after it settled. */
  ttlMs: number;
  /** A probe still unanswered after this is aborted and counts as down. */
  timeoutMs: number;
}

/**
 * Runs an upstream probe at most once per `ttlMs`: every replica is probed by the kubelet, the
 * load balancer and operators, and each of those must not become a call to the upstream. Callers
 * that arrive while a probe is in flight share it; its outcome, success or failure, is then reused
 * until it is `ttlMs` old. A probe is aborted at its timeout so a stalled upstream cannot pin one
 * pending answer forever.
 */
export class CachedProbe {
  private current: { outcome: Promise<void>; settledAt?: number } | undefined;

  constructor(
    private readonly probe: (signal: AbortSignal) => Promise<unknown>,
    private readonly options: CachedProbeOptions,
    private readonly now: () => number = Date.now,
  ) {}

  run(): Promise<void> {
    const current = this.current;
    if (current !== undefined && (current.settledAt === undefined || this.fresh(current.settledAt))) {
      return current.outcome;
    }
    return this.start();
  }

  private fresh(settledAt: number): boolean {
    return this.now() - settledAt < this.options.ttlMs;
  }

  private start(): Promise<void> {
    const abort = new AbortController();
    const outcome = withTimeout(this.probe(abort.signal), this.options.timeoutMs).then(
      () => undefined,
      (error: unknown) => {
        abort.abort();
        throw error;
      },
    );
    const entry: { outcome: Promise<void>; settledAt?: number } = { outcome };
    const settle = (): void => {
      entry.settledAt = this.now();
    };
    outcome.then(settle, settle);
    this.current = entry;
    return outcome;
  }
}
