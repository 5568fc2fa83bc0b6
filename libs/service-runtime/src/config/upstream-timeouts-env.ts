import { IsInt, Max, Min } from 'class-validator';
import { EnvDoc } from './env-doc';
import type { ServiceEnv } from './service-env';

// TypeScript's mixin pattern requires a constructor of `any[]` arguments.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EnvClass<T extends ServiceEnv = ServiceEnv> = new (...args: any[]) => T;

/**
 * How long the service waits on its upstreams (Argo Workflows, Argo CD, git, registry): one set of
 * keys for every service, read by the one factory that builds their clients (UpstreamClients). A
 * service whose calls are larger by nature (summary's lists of every app) overrides the default.
 */
export function WithUpstreamTimeouts<B extends EnvClass>(Base: B) {
  class UpstreamTimeoutsEnv extends Base {
    @EnvDoc(
      'Longest one call to an upstream (Argo Workflows, Argo CD, git, registry) may take, its answer read, before it fails with 504 (idempotent calls are retried)',
    )
    @IsInt({ message: 'UPSTREAM_TIMEOUT_MS must be an integer' })
    @Min(100, { message: 'UPSTREAM_TIMEOUT_MS must be between 100 and 600000' })
    @Max(600_000, { message: 'UPSTREAM_TIMEOUT_MS must be between 100 and 600000' })
    UPSTREAM_TIMEOUT_MS: number = 10_000;

    @EnvDoc('An upstream stream silent this long (no event, no keepalive) is presumed dead and reopened')
    @IsInt({ message: 'UPSTREAM_IDLE_TIMEOUT_MS must be an integer' })
    @Min(500, { message: 'UPSTREAM_IDLE_TIMEOUT_MS must be >= 500' })
    UPSTREAM_IDLE_TIMEOUT_MS: number = 40_000;
  }
  return UpstreamTimeoutsEnv;
}

/** The upstream timeouts of a parsed environment. */
export interface UpstreamTimeouts {
  /** Per unary call, reading the body included (UPSTREAM_TIMEOUT_MS). */
  requestMs: number;
  /** Silence after which a watch stream is reopened (UPSTREAM_IDLE_TIMEOUT_MS). */
  idleMs: number;
}

export function upstreamTimeouts(
  env: InstanceType<ReturnType<typeof WithUpstreamTimeouts>>,
): UpstreamTimeouts {
  return { requestMs: env.UPSTREAM_TIMEOUT_MS, idleMs: env.UPSTREAM_IDLE_TIMEOUT_MS };
}
