import { Inject, Injectable, type Type } from '@nestjs/common';
import { CachedProbe } from './cached-probe';
import { READINESS_CHECK_TIMEOUT_MS } from './check-timeout';
import { ReadinessIndicator } from './readiness-indicator';

/** How long a probed upstream's outcome is reused: a few seconds, far below the kubelet's period. */
export const UPSTREAM_READINESS_TTL_MS = 3000;

/** A class (often abstract, like a client's DI token) whose instance the probe is given. */
export type ClientToken<T> = abstract new (...args: never[]) => T;

/**
 * A readiness indicator for one upstream, for `RuntimeModule`'s `readiness` list: it resolves the
 * upstream's client from dependency injection and runs `probe` with it, cached (see CachedProbe)
 * and bounded by the per-check timeout. `name` is the key the health body reports it under, so a
 * 503 says which upstream is down and, in its message, why.
 */
export function upstreamReadiness<T>(
  name: string,
  client: ClientToken<T>,
  probe: (client: T, signal: AbortSignal) => Promise<unknown>,
): Type<ReadinessIndicator> {
  @Injectable()
  class UpstreamReadiness extends ReadinessIndicator {
    readonly name = name;
    private readonly probe: CachedProbe;

    constructor(@Inject(client) instance: T) {
      super();
      this.probe = new CachedProbe((signal) => probe(instance, signal), {
        ttlMs: UPSTREAM_READINESS_TTL_MS,
        timeoutMs: READINESS_CHECK_TIMEOUT_MS,
      });
    }

    check(): Promise<void> {
      return this.probe.run();
    }
  }
  // Nest tells providers apart by class: one distinct, named class per upstream.
  Object.defineProperty(UpstreamReadiness, 'name', { value: `${pascal(name)}Readiness` });
  return UpstreamReadiness;
}

function pascal(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
